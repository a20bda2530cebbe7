"""Every network body gets its public CMS page, which announces its meetings and invites to join."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cms.models import EventPage, NetworkBodyPage
from cms.services import ensure_body_page
from network.models import NetworkBody


@pytest.fixture
def body(page_tree, make_body):
    return make_body("FG Gesundheit und Pflege", slug="fg-gesundheit", purpose="Pflege und Gesundheit im Quartier.")


@pytest.fixture
def make_event(page_tree):
    def make(title, start, **fields):
        fields.setdefault("location", "Rathaus Teltow, Marktplatz 1")
        fields.setdefault("intro", "Sitzung der Fokusgruppe.")
        return page_tree.events.add_child(instance=EventPage(title=title, start=start, **fields))

    return make


def join_form_action(body):
    return f'action="/netzwerk/gremien/{body.slug}/beitreten/"'


def test_creating_a_body_publishes_its_page_under_the_network_index(page_tree, body):
    page = NetworkBodyPage.objects.get(body=body)

    assert page.title == "FG Gesundheit und Pflege"
    assert page.live
    assert page.get_parent().specific == page_tree.network
    assert page.intro == "Pflege und Gesundheit im Quartier."


def test_the_body_page_is_reachable_and_shows_the_body(body):
    page = NetworkBodyPage.objects.get(body=body)

    response = Client().get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "FG Gesundheit und Pflege" in html
    assert "Pflege und Gesundheit im Quartier." in html


def test_the_page_is_created_only_once(body):
    body.purpose = "Geänderter Zweck."
    body.save()
    ensure_body_page(body)

    assert NetworkBodyPage.objects.filter(body=body).count() == 1


def test_a_page_with_the_same_slug_does_not_block_the_body_page(page_tree, make_body):
    first = make_body("FG Kita", slug="fg-kita")
    first_page = NetworkBodyPage.objects.get(body=first)
    first_page.slug = "fg-schule"
    first_page.save_revision().publish()

    second = make_body("FG Schule", slug="fg-schule")

    second_page = NetworkBodyPage.objects.get(body=second)
    assert second_page.live
    assert second_page.slug != "fg-schule"


def test_without_a_network_index_a_body_is_created_without_a_page(make_body):
    body = make_body("FG Inklusion", slug="fg-inklusion", status=NetworkBody.Status.PLANNED)

    assert NetworkBody.objects.filter(pk=body.pk).exists()
    assert not NetworkBodyPage.objects.exists()
    assert ensure_body_page(body) is None


def test_the_network_index_lists_the_body_pages(page_tree, body):
    response = Client().get(page_tree.network.url)

    assert response.status_code == 200
    assert "FG Gesundheit und Pflege" in response.content.decode()


def test_the_body_page_shows_upcoming_meetings_but_not_past_ones(body, make_event):
    now = timezone.now()
    make_event("Sitzung im Herbst", now + timedelta(days=14), network_body=body)
    make_event("Sitzung im Frühjahr", now - timedelta(days=30), network_body=body)
    make_event("Sitzung einer anderen Gruppe", now + timedelta(days=7))

    html = Client().get(NetworkBodyPage.objects.get(body=body).url).content.decode()

    assert "Sitzung im Herbst" in html
    assert "Sitzung im Frühjahr" not in html
    assert "Sitzung einer anderen Gruppe" not in html


def test_unpublished_meetings_are_not_announced(body, make_event):
    event = make_event("Geheime Vorbesprechung", timezone.now() + timedelta(days=3), network_body=body)
    event.unpublish()

    html = Client().get(NetworkBodyPage.objects.get(body=body).url).content.decode()

    assert body.name in html, "the body page itself is shown"
    assert "Geheime Vorbesprechung" not in html


def test_a_professional_who_is_not_a_member_gets_a_join_button(body, logged_in, professional):
    html = logged_in(professional).get(NetworkBodyPage.objects.get(body=body).url).content.decode()

    assert join_form_action(body) in html


def test_members_get_no_join_button(body, logged_in, professional, add_member):
    add_member(professional, body)

    html = logged_in(professional).get(NetworkBodyPage.objects.get(body=body).url).content.decode()

    assert "Sie sind Mitglied" in html
    assert join_form_action(body) not in html


@pytest.mark.parametrize("viewer", ["anonymous", "pending_user"])
def test_anonymous_and_pending_visitors_get_no_join_button(request, body, logged_in, viewer):
    browser = Client() if viewer == "anonymous" else logged_in(request.getfixturevalue(viewer))

    response = browser.get(NetworkBodyPage.objects.get(body=body).url)

    assert response.status_code == 200
    assert body.name in response.content.decode()
    assert join_form_action(body) not in response.content.decode()


def test_the_join_button_on_the_page_makes_you_a_member(body, logged_in, professional):
    browser = logged_in(professional)

    browser.post(f"/netzwerk/gremien/{body.slug}/beitreten/")

    html = browser.get(NetworkBodyPage.objects.get(body=body).url).content.decode()
    assert "Sie sind Mitglied" in html
    assert join_form_action(body) not in html


def test_deleting_a_body_removes_its_page_from_the_site(page_tree, body):
    url = NetworkBodyPage.objects.get(body=body).url

    body.delete()

    assert not NetworkBodyPage.objects.exists()
    assert Client().get(url).status_code == 404
