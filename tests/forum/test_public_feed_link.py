"""The forum overview offers the public Atom feed only when it has posts: an empty feed looks broken."""

from forum import services

FEED = "/forum/feeds/oeffentlich/"


def test_visitors_get_no_feed_link_while_no_public_board_has_posts(client, open_board, make_board, make_user):
    services.create_topic(make_user(), open_board, "Intern", "Nur für Fachkräfte.")
    make_board("Marktplatz", is_public=True)

    page = client.get("/forum/").content.decode()

    assert "Atom-Feed der öffentlichen Beiträge" not in page
    assert FEED not in page, "nor in the page's head, where feed readers look"


def test_the_feed_link_appears_with_the_first_public_post(client, make_board, make_user):
    board = make_board("Marktplatz", is_public=True)
    services.create_topic(make_user(), board, "Sommerfest", "Wer hilft beim Aufbau?")

    page = client.get("/forum/").content.decode()

    assert f'<a href="{FEED}">Atom-Feed der öffentlichen Beiträge</a>' in page
    assert f'<link rel="alternate" type="application/atom+xml" href="{FEED}"' in page
    assert "Sommerfest" in client.get(FEED).content.decode()
