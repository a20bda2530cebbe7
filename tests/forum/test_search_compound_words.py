"""Hyphenated words, inflections and plain-text snippets, the same on SQLite (FTS5 + Snowball stems) and PostgreSQL."""

import random

import pytest

from forum import search, services

pytestmark = pytest.mark.both_databases

TEXT = (
    "Das neue Kita-Portal ist online. Fragen bitte per E-Mail an die Schul-Sozialarbeit der Grundschule; "
    "die Häuser der Jugend sind informiert."
)


@pytest.fixture
def announcement(professional, open_board):
    services.create_topic(professional, open_board, "Anmeldung Betreuung", TEXT)
    services.create_topic(professional, open_board, "Sportfest", "Der Termin für das Sportfest steht fest.")


def titles(results):
    return [post.topic.title for post in results]


@pytest.mark.parametrize("query", ["Kita-Portal", "E-Mail", "Schul-Sozialarbeit", "kita-portal", "„Kita-Portal“"])
def test_a_hyphenated_word_finds_the_post_that_contains_it(announcement, professional, query):
    assert titles(search.search_posts(professional, query)) == ["Anmeldung Betreuung"]


def test_a_part_of_a_hyphenated_word_finds_it_too(announcement, professional):
    assert titles(search.search_posts(professional, "Portal")) == ["Anmeldung Betreuung"]
    assert titles(search.search_posts(professional, "Sozialarbeit")) == ["Anmeldung Betreuung"]


def test_a_hyphenated_word_is_found_written_together(professional, open_board):
    services.create_topic(professional, open_board, "Zusammen", "Das Kitaportal hat eine neue Adresse.")
    assert titles(search.search_posts(professional, "Kita-Portal")) == ["Zusammen"]


def test_the_parts_of_a_hyphenated_word_must_stand_together(professional, open_board):
    services.create_topic(professional, open_board, "Getrennt", "Das Portal der Kita und das Portal der Schule.")
    services.create_topic(professional, open_board, "Richtig", "Das Kita-Portal.")
    assert titles(search.search_posts(professional, "Kita-Portal")) == ["Richtig"]


@pytest.mark.parametrize("query", ["Haus", "Häusern", "Grundschulen", "Frage"])
def test_a_german_word_finds_its_inflections(announcement, professional, query):
    assert titles(search.search_posts(professional, query)) == ["Anmeldung Betreuung"]


def test_hyphenated_words_are_marked_in_the_snippet(announcement, professional):
    [result] = search.search_posts(professional, "Kita-Portal")
    assert "<mark>Kita</mark>-<mark>Portal</mark>" in result.highlight


def test_all_words_of_a_query_must_occur(announcement, professional):
    assert titles(search.search_posts(professional, "Kita-Portal Sportfest")) == []
    assert titles(search.search_posts(professional, "Sportfest Termin")) == ["Sportfest"]


def test_snippets_show_the_text_a_reader_sees_not_the_markdown(professional, open_board):
    services.create_topic(
        professional,
        open_board,
        "Formatiert",
        "> Zitat aus der Runde\n\n**Wichtig:** die [Anmeldeliste](https://example.org/liste) zum _Ferienprogramm_ & mehr",
    )
    [result] = search.search_posts(professional, "Ferienprogramm")
    assert "<mark>Ferienprogramm</mark>" in result.highlight
    assert "Zitat aus der Runde Wichtig: die Anmeldeliste zum" in result.highlight
    assert "&amp; mehr" in result.highlight
    for markdown in ("**", "](", "example.org", "&gt;", "_Ferien"):
        assert markdown not in result.highlight


def test_link_addresses_are_not_searched(professional, open_board):
    services.create_topic(professional, open_board, "Link", "Siehe [Liste](https://example.org/geheimwort)")
    assert search.search_posts(professional, "geheimwort") == []
    assert titles(search.search_posts(professional, "Liste")) == ["Link"]


def test_a_long_post_is_cut_around_the_first_match(professional, open_board):
    filler = " ".join(f"Wort{number}" for number in range(200))
    services.create_topic(professional, open_board, "Lang", f"{filler} Stadtteilkonferenz {filler}")
    [result] = search.search_posts(professional, "Stadtteilkonferenz")
    assert result.highlight.startswith("…") and result.highlight.endswith("…")
    assert "<mark>Stadtteilkonferenz</mark>" in result.highlight
    assert len(result.highlight.split()) <= search.SNIPPET_WORDS + 1


def test_input_of_only_punctuation_finds_nothing(announcement, professional):
    assert search.search_posts(professional, '- " * ( ) ---') == []


def test_the_parts_of_a_hyphenated_word_are_marked_only_as_whole_words(professional, open_board):
    services.create_topic(professional, open_board, "Kontakt", "Eltern erreichen uns per E-Mail oder ein Telefonat.")
    [result] = search.search_posts(professional, "E-Mail")
    assert "<mark>E</mark>-<mark>Mail</mark>" in result.highlight
    assert "<mark>Eltern" not in result.highlight and "<mark>ein" not in result.highlight


def test_any_typed_input_is_searched_as_plain_words(announcement, professional):
    rng = random.Random(7)
    alphabet = "aäßKß-_\"*()^:.+~<>&'`\\/ \x00\u200b\u202eé0123456789ORANDNEAR"
    for _ in range(200):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert isinstance(search.search_posts(professional, query), list)
    assert titles(search.search_posts(professional, 'Kita-Portal" OR NEAR(*')) == []
