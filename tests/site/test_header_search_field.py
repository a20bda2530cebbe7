"""The search field in the header shows the site search's own query, and only that: the forum search
(also named "search", in the forum's namespace) has a field of its own."""

import re


def header_search_value(response):
    page = response.content.decode()
    return re.search(r'<input id="site-search-q"[^>]*\bvalue="([^"]*)"', page).group(1)


def test_the_header_field_stays_empty_on_the_forum_search(client, professional):
    client.force_login(professional)

    response = client.get("/forum/suche/?q=Ferienprogramm")

    assert response.status_code == 200
    assert header_search_value(response) == ""
    assert 'value="Ferienprogramm"' in response.content.decode(), "the forum's own field keeps the query"


def test_the_header_field_keeps_the_query_of_the_site_search(client, db):
    response = client.get("/suche/?q=Kita")

    assert response.status_code == 200
    assert header_search_value(response) == "Kita"
