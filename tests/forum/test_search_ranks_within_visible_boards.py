"""The search index narrows to the boards a person sees before it ranks (issue #16): a person who sees few boards
still finds their posts behind many newer matches elsewhere, private boards never show up whatever is typed,
and a moved topic is found where it is now."""

import random

import pytest
from django.urls import reverse

from forum import search, services

pytestmark = pytest.mark.both_databases


def titles(results):
    return [post.topic.title for post in results]


def test_a_post_behind_many_newer_matches_in_other_boards_is_still_found(
    monkeypatch, indexed_topic, professional, member, open_board, closed_board
):
    # Before the index knew boards, the best matches of all boards were cut off first and filtered after:
    # the professional's only match was lost behind the members' newer ones.
    monkeypatch.setattr(search, "MAX_CANDIDATES", 3)
    indexed_topic(open_board, professional, "Offener Austausch", "Die Ferienbetreuung im Sommer")
    for number in range(6):
        indexed_topic(closed_board, member, f"Intern {number}", "Die Ferienbetreuung, vertraulich")
    assert titles(search.search_posts(professional, "Ferienbetreuung")) == ["Offener Austausch"]
    assert len(search.search_posts(member, "Ferienbetreuung")) == 3


# Few boards are a condition of the index query; many are checked per match (search.FEW_BOARDS): both ways.
@pytest.mark.parametrize("few_boards", [20, 0])
def test_private_boards_never_show_up_whatever_is_typed(
    monkeypatch, few_boards, professional, member, open_board, closed_board
):
    monkeypatch.setattr(search, "FEW_BOARDS", few_boards)
    rng = random.Random(16)
    secret = services.create_topic(member, closed_board, "Haushalt intern", "Kürzungen beim Jugendclub")
    services.create_topic(professional, open_board, "Haushalt offen", "Kürzungen beim Jugendclub offen")
    board_words = [f"b{closed_board.pk}", f"§{closed_board.pk}", f"board {closed_board.pk}"]
    queries = ["Kürzungen", "Jugendclub Kürzungen", *board_words, *(f"Kürzungen {word}" for word in board_words)]
    rng.shuffle(queries)
    for query in queries:
        found = search.search_posts(professional, query)
        assert secret.title not in titles(found), query
        assert all(post.topic.board_id == open_board.pk for post in found), query
    assert titles(search.search_posts(professional, "Kürzungen")) == ["Haushalt offen"]
    assert set(titles(search.search_posts(member, "Kürzungen"))) == {"Haushalt intern", "Haushalt offen"}


def test_a_moved_topic_is_found_in_its_new_board_only(coordinator, professional, member, open_board, closed_board):
    topic = services.create_topic(professional, open_board, "Sommerfest", "Planung für das Sommerfest am See")
    assert titles(search.search_posts(professional, "Sommerfest")) == ["Sommerfest"]
    services.move_topic(coordinator, topic, closed_board)
    assert search.search_posts(professional, "Sommerfest") == []
    assert titles(search.search_posts(member, "Sommerfest")) == ["Sommerfest"]
    assert titles(search.search_posts(member, "Sommerfest", board=closed_board)) == ["Sommerfest"]


def test_the_page_says_when_there_are_more_matches_than_ranked(
    monkeypatch, indexed_topic, logged_in, professional, open_board
):
    monkeypatch.setattr(search, "MAX_CANDIDATES", 3)
    for number in range(5):
        indexed_topic(open_board, professional, f"Elterncafé {number}", "Das Elterncafé am Montag")
    page = logged_in(professional).get(reverse("forum:search"), {"q": "Elterncafé"}).content.decode()
    assert "Mehr als 3 Treffer" in page
    assert "Elterncafé 4" in page


def test_a_page_number_that_is_no_number_shows_the_first_page(logged_in, professional, open_board):
    services.create_topic(professional, open_board, "Elterncafé", "Das Elterncafé am Montag")
    for seite in ("abc", "-1", "0", "999999999999"):
        response = logged_in(professional).get(reverse("forum:search"), {"q": "Elterncafé", "seite": seite})
        assert response.status_code == 200
        assert "1 Treffer" in response.content.decode()


def test_twenty_hits_a_page_and_a_link_to_the_next(indexed_topic, logged_in, professional, open_board):
    for number in range(25):
        indexed_topic(open_board, professional, f"Sprachkurs {number:02d}", "Ein Sprachkurs")
    browser = logged_in(professional)
    first = browser.get(reverse("forum:search"), {"q": "Sprachkurs"}).content.decode()
    assert "25 Treffer" in first
    assert first.count('class="card"') == 20
    assert "seite=2" in first
    second = browser.get(reverse("forum:search"), {"q": "Sprachkurs", "seite": 2}).content.decode()
    assert second.count('class="card"') == 5
    assert "seite=1" in second
