"""Reaction buttons name their reaction for screen readers and as a tooltip, and count only what is there.

They used to be an emoji each with a "0" beneath every post: noise for the eye, and for a screen reader
"Daumen hoch 0, Herz 0, …" five times per post.
"""

import re

import pytest

from forum import services
from forum.models import Reaction

LABELS = {"thumbs_up": "Daumen hoch", "heart": "Herz", "party": "Feiern", "idea": "Gute Idee", "thanks": "Danke"}


def reaction_buttons(html):
    """{kind: (title, text for screen readers, count shown or None, all visible text)} of the first post's reaction form."""
    form = re.search(r'<form class="forum-reactions".*?</form>', html, re.DOTALL).group(0)
    buttons = {}
    for kind, attributes, inner in re.findall(
        r'<button[^>]*name="kind" value="(\w+)"([^>]*)>(.*?)</button>', form, re.DOTALL
    ):
        title = re.search(r'title="([^"]*)"', attributes)
        hidden_label = re.search(r'<span class="visually-hidden">([^<]*)</span>', inner)
        count = re.search(r'class="forum-reactions__count">(\d+)<', inner)
        visible = re.sub(r'<span class="visually-hidden">[^<]*</span>|<[^>]+>|\s', "", inner)
        buttons[kind] = (
            title and title.group(1),
            hidden_label and hidden_label.group(1),
            count and int(count.group(1)),
            visible,
        )
    return buttons


@pytest.fixture
def reacted_topic(member, make_user, add_member, closed_body, closed_board):
    topic = services.create_topic(member, closed_board, "Ferien", "Wer macht mit?")
    for number in range(2):
        colleague = make_user(display_name=f"Kollegin {number}")
        add_member(colleague, closed_body)
        services.toggle_reaction(colleague, topic.posts.get(), Reaction.Kind.THANKS)
    return topic


def test_every_button_has_a_label_and_a_tooltip_and_only_used_ones_a_count(logged_in, member, reacted_topic):
    html = logged_in(member).get(reacted_topic.get_absolute_url()).content.decode()

    buttons = reaction_buttons(html)

    assert set(buttons) == set(LABELS)
    for kind, (title, label, count, visible) in buttons.items():
        assert title == LABELS[kind], f"{kind}: no tooltip"
        assert label == LABELS[kind], f"{kind}: no text for screen readers"
        if kind == "thanks":
            assert count == 2 and visible.endswith("2")
        else:
            assert count is None, f"{kind}: shows a count though nobody reacted"
            assert not re.search(r"\d", visible), f"{kind}: shows {visible!r}"


def test_readers_who_may_not_react_see_the_used_reactions_with_their_names(client, make_user, make_board):
    board = make_board("Marktplatz", is_public=True)
    author, reader = make_user(), make_user()
    topic = services.create_topic(author, board, "Sommerfest", "Wer hilft beim Aufbau?")
    services.toggle_reaction(reader, topic.posts.get(), Reaction.Kind.IDEA)

    html = client.get(topic.get_absolute_url()).content.decode()

    reactions = re.search(r'<div class="forum-reactions">(.*?)</div>', html, re.DOTALL).group(1)
    assert 'title="Gute Idee"' in reactions and '<span class="visually-hidden">Gute Idee</span>' in reactions
    assert re.search(r'class="forum-reactions__count">1<', reactions)
    assert "Daumen hoch" not in reactions, "reactions nobody gave are left out"
