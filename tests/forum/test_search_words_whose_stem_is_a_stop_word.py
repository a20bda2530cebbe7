"""A word whose Snowball stem is a German stop word ("nächsten" → "nach", "Einigung" → "einig") finds the posts that
contain it, and only those. On PostgreSQL the query was built from the stems, which `german` then dropped as stop
words: with few visible boards the search showed the newest posts of every board, with many it showed none."""

import random

import pytest
from django.db import connection

from forum import search

pytestmark = pytest.mark.both_databases


def titles(results):
    return {post.topic.title for post in results}


@pytest.mark.parametrize("few_boards", [20, 0])
def test_a_word_whose_stem_is_a_stop_word_finds_the_posts_that_contain_it(
    monkeypatch, few_boards, indexed_topic, professional, open_board
):
    monkeypatch.setattr(search, "FEW_BOARDS", few_boards)
    rng = random.Random(16)
    others = [f"Sommerfest {number}" for number in range(3)]
    rng.shuffle(others)
    indexed_topic(open_board, professional, "Termine", "Wir treffen uns in den nächsten Tagen im Rathaus.")
    indexed_topic(open_board, professional, "Haushalt", "Eine Einigung zum Haushalt steht noch aus.")
    for title in others:
        indexed_topic(open_board, professional, title, "Das Fest im Park mit Musik und Kuchen.")
    assert titles(search.search_posts(professional, "nächsten")) == {"Termine"}
    assert titles(search.search_posts(professional, "Einigung")) == {"Haushalt"}
    assert titles(search.search_posts(professional, "nächsten Rathaus")) == {"Termine"}


@pytest.mark.parametrize("few_boards", [20, 0])
def test_a_query_of_stop_words_only_finds_nothing_on_postgresql(
    monkeypatch, few_boards, indexed_topic, professional, open_board
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps stop words as words that must occur (forum.search)")
    monkeypatch.setattr(search, "FEW_BOARDS", few_boards)
    indexed_topic(open_board, professional, "Sommerfest", "Das Fest im Park mit Musik und Kuchen.")
    assert search.search_posts(professional, "und") == []
    assert search.search_posts(professional, "und die") == []
    assert titles(search.search_posts(professional, "und Kuchen")) == {"Sommerfest"}
