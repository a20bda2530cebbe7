"""Whether a person sees two boards or twenty-five, the search finds exactly the posts they may see that hold the
word, newest first when they match alike (issue #16: PostgreSQL's narrow search table; SQLite's two ways to narrow
to the boards, search.FEW_BOARDS)."""

import random

import pytest
from django.utils import timezone

from forum import permissions, search

pytestmark = pytest.mark.both_databases

WORD = "Ferienbetreuung"


def test_members_of_few_and_of_many_boards_find_exactly_their_visible_posts(
    indexed_topic, make_user, make_body, add_member, professional
):
    rng = random.Random(1616)
    boards = [make_body(members_only=True).forum_board for _ in range(30)]
    few, many = make_user(display_name="Fenja Wenig"), make_user(display_name="Viktor Viel")
    for index, board in enumerate(boards):
        if index < 2:
            add_member(few, board.body)
        if index < 25:
            add_member(many, board.body)
    for number in range(120):
        board = rng.choice(boards)
        text = f"Die {WORD} im Sommer." if rng.random() < 0.6 else "Der Spielplatz im Sommer."
        indexed_topic(board, professional, f"Thema {number:03d}", text)
    # What nobody may find outside its topic: a hidden topic and a deleted post, both in boards both people see.
    hidden = indexed_topic(boards[0], professional, "Verborgen", f"Die {WORD} im Sommer.")
    hidden.is_hidden = True
    hidden.save(update_fields=["is_hidden"])
    search.index_topic(hidden)
    deleted = indexed_topic(boards[1], professional, "Gelöscht", f"Die {WORD} im Sommer.").posts.get()
    deleted.deleted_at = timezone.now()
    deleted.save(update_fields=["deleted_at"])
    search.index_post(deleted)

    for person in (few, many):
        expected = list(
            permissions.visible_posts(person)
            .filter(markdown__contains=WORD)
            .order_by("-pk")
            .values_list("pk", flat=True)
        )
        found = search.search_posts(person, WORD, limit=100)
        assert [post.pk for post in found] == expected
        assert found.total == len(expected)
        assert {post.topic.title for post in found}.isdisjoint({"Verborgen", "Gelöscht"})
    assert 0 < len(search.search_posts(few, WORD, limit=100)) < len(search.search_posts(many, WORD, limit=100))
