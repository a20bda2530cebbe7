"""What the body page shows of the minutes, and the forum search finding published minutes with the same rule."""

from django.urls import reverse

from cms.models import NetworkBodyPage
from minutes import services
from network.models import NetworkBody


def test_the_public_summary_appears_on_the_body_page_once_published(minutes, moderator, client, closed_body):
    services.edit_minutes(
        moderator, minutes, text=minutes.text, public_summary="Der **Kita-Bedarfsplan** wurde beraten."
    )
    for step in ("voting", "approved"):
        minutes = services.change_status(moderator, minutes, step)
        assert "Kita-Bedarfsplan" not in client.get(closed_body.get_absolute_url()).content.decode()
    services.change_status(moderator, minutes, "published")
    page = client.get(closed_body.get_absolute_url()).content.decode()
    assert "Aus den Sitzungen" in page
    assert "Der <strong>Kita-Bedarfsplan</strong> wurde beraten." in page
    # The full text stays with the members.
    assert "Die Kita-Planung wurde vorgestellt." not in page


def test_open_tasks_of_the_body_are_listed_for_members_only(published, member, professional, logged_in, closed_body):
    page = logged_in(member).get(closed_body.get_absolute_url()).content.decode()
    assert "Offene Aufgaben" in page
    assert "Stellungnahme an das Jugendamt schicken" in page and "Mia Mitglied" in page
    assert reverse("minutes:body_list", args=[closed_body.slug]) in page
    outsider = logged_in(professional).get(closed_body.get_absolute_url()).content.decode()
    assert "Stellungnahme an das Jugendamt schicken" not in outsider


def test_a_task_ticked_off_leaves_the_list_of_open_tasks(published, member, logged_in, closed_body):
    browser = logged_in(member)
    task = published.tasks.get()
    browser.post(reverse("minutes:task_done", args=[task.pk]), {"done": "on"})
    page = browser.get(reverse("minutes:body_list", args=[closed_body.slug])).content.decode()
    assert "Keine offenen Aufgaben." in page
    assert published.meeting.title in page


def test_members_find_published_minutes_in_the_forum_search(published, member, logged_in):
    page = logged_in(member).get(reverse("forum:search"), {"q": "Bedarfsplan"}).content.decode()
    assert "Weitere Treffer" in page
    assert "Protokoll: Sitzung der Lenkungsrunde" in page
    assert published.get_absolute_url() in page
    assert "Kita-<mark>Bedarfsplan</mark>" in page


def test_outsiders_and_unpublished_minutes_are_not_found(minutes, moderator, member, professional, logged_in):
    services.change_status(moderator, minutes, "voting")
    member_page = logged_in(member).get(reverse("forum:search"), {"q": "Kita-Planung"}).content.decode()
    assert "Protokoll: Sitzung der Lenkungsrunde" not in member_page
    for step in ("approved", "published"):
        services.change_status(moderator, minutes, step)
    assert (
        "Protokoll: Sitzung" in logged_in(member).get(reverse("forum:search"), {"q": "Kita-Planung"}).content.decode()
    )
    outsider = logged_in(professional).get(reverse("forum:search"), {"q": "Kita-Planung"}).content.decode()
    assert "Protokoll: Sitzung" not in outsider


def test_the_cms_page_of_the_body_shows_the_summary_and_to_members_the_open_tasks(
    published, page_tree, closed_body, member, logged_in, client
):
    page_tree.network.add_child(
        instance=NetworkBodyPage(title="Lenkungsrunde Sozialplanung", slug="lenkungsrunde", body=closed_body)
    )
    url = NetworkBody.objects.get(pk=closed_body.pk).get_absolute_url()
    assert not url.startswith("/netzwerk/"), "the body's page is the CMS page"
    visitor = client.get(url).content.decode()
    assert "Die Lenkungsrunde hat den <strong>Kita-Bedarfsplan</strong> beraten." in visitor
    assert "Stellungnahme an das Jugendamt schicken" not in visitor
    assert "Stellungnahme an das Jugendamt schicken" in logged_in(member).get(url).content.decode()
