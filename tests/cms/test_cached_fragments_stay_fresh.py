"""The home page's and a body page's cached lists show a change at the next request (cms.freshness)."""

from datetime import timedelta

from django.utils import timezone

from cms.models import EventPage, NewsIndexPage, NewsPage


def test_a_new_body_and_a_renamed_body_page_are_on_the_home_page_at_once(page_tree, make_body, client):
    make_body("FG Schule", slug="fg-schule")
    assert "FG Schule" in client.get("/").content.decode()

    make_body("FG Kita", slug="fg-kita")
    page = make_body("FG Jugendarbeit", slug="fg-jugendarbeit").page
    page.title = "FG Offene Jugendarbeit"
    page.save_revision().publish()

    html = client.get("/").content.decode()
    assert "FG Kita" in html and "FG Offene Jugendarbeit" in html


def test_news_and_an_event_added_without_publishing_a_revision_show_at_once(page_tree, make_body, client):
    body = make_body("FG Kultur und Freizeit", slug="fg-kultur")
    client.get("/"), client.get(body.page.url)
    news = NewsIndexPage.objects.get(pk=page_tree.news.pk)
    news.add_child(instance=NewsPage(title="Stadtfest im Juni", intro="Alle Fokusgruppen sind dabei."))
    page_tree.events.add_child(
        instance=EventPage(title="Sitzung der FG Kultur", start=timezone.now() + timedelta(days=3),
                           location="Bürgerhaus", intro="Planung.", network_body=body)
    )  # fmt: skip

    home = client.get("/").content.decode()
    assert "Stadtfest im Juni" in home and "Sitzung der FG Kultur" in home
    assert "Sitzung der FG Kultur" in client.get(body.page.url).content.decode()


def test_an_unpublished_news_page_leaves_the_home_page_at_once(page_tree, client):
    item = page_tree.news.add_child(instance=NewsPage(title="Vorläufige Nachricht", intro="Bald mehr."))
    assert "Vorläufige Nachricht" in client.get("/").content.decode()

    item.unpublish()

    html = client.get("/").content.decode()
    assert "Vorläufige Nachricht" not in html
    assert "Zurzeit gibt es keine Nachrichten." in html
