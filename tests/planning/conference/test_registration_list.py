"""The coordination's registration list of the year's conference: who (with organisation), the waiting
list, cancellations by the coordination with the first waiting person moving up, and who sees it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import EventPage, EventRegistration

pytestmark = pytest.mark.django_db


def url(conf, tail="anmeldungen/"):
    return f"/sozialplanung/{conf.cycle.year.year}/konferenz/{tail}"


def test_the_list_shows_registrants_with_organisation_status_and_waiting_place(conf, register, logged_in):
    register(conf.event, "anna@example.org", "Anna Albers", "Kita Sonnenschein")
    register(conf.event, "bert@example.org", "Bert Brandt", "Grundschule am Röthepfuhl")
    register(conf.event, "cem@example.org", "Cem Çelik", "Jugendclub Nord")
    late = register(conf.event, "dora@example.org", "Dora Dahl", "Familienzentrum")

    page = logged_in(conf.cycle.coordinator).get(url(conf)).content.decode()

    assert late.status == EventRegistration.Status.WAITLISTED
    for text in (
        "Anna Albers",
        "Grundschule am Röthepfuhl",
        "Jugendclub Nord",
        "Dora Dahl",
        "auf der Warteliste (Platz 1)",
    ):
        assert text in page
    assert "angemeldet: 3 / 3" in page
    assert "Warteliste: 1" in page


def test_a_cancellation_by_the_coordination_moves_the_first_waiting_person_up_with_a_mail(
    conf, register, logged_in, mailoutbox, django_capture_on_commit_callbacks
):
    first = register(conf.event, "anna@example.org")
    register(conf.event, "bert@example.org")
    register(conf.event, "cem@example.org")
    waiting = register(conf.event, "dora@example.org", "Dora Dahl")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(conf.cycle.coordinator).post(
            url(conf), {"action": "cancel", "registration": first.pk}, follow=True
        )

    page = response.content.decode()
    assert "Die Anmeldung ist storniert. Dora Dahl ist von der Warteliste nachgerückt und benachrichtigt." in page
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, first.cancelled_by_organiser) == ("cancelled", True)
    assert waiting.status == "confirmed"
    assert {m.to[0]: m.subject for m in mailoutbox} == {
        "anna@example.org": "Anmeldung storniert: Sozialraumkonferenz 2026",
        "dora@example.org": "Ein Platz ist frei geworden: Sozialraumkonferenz 2026",
    }
    assert "von der Organisation storniert" in next(m.body for m in mailoutbox if m.to == ["anna@example.org"])


def test_a_registration_of_another_event_or_an_unknown_one_cannot_be_cancelled_here(
    conf, register, logged_in, make_event_elsewhere
):
    other = register(make_event_elsewhere, "fremd@example.org")
    browser = logged_in(conf.cycle.coordinator)

    for value in (other.pk, 999999, "abc", 2**70):
        page = browser.post(url(conf), {"action": "cancel", "registration": value}, follow=True).content.decode()
        assert "Diese Anmeldung gibt es bei dieser Konferenz nicht." in page
    other.refresh_from_db()
    assert other.status == "confirmed"


@pytest.fixture
def make_event_elsewhere(page_tree):
    return page_tree.events.add_child(
        instance=EventPage(
            title="Sitzung FG Kita",
            start=timezone.now() + timedelta(days=3),
            location="Rathaus",
            intro="Sitzung.",
            registration_open=True,
        )
    )


@pytest.mark.parametrize("who", ["outsider", "kita_moderator", "raters"])
def test_only_the_coordination_sees_the_list(conf, logged_in, who):
    person = getattr(conf.cycle, who)
    person = person[0] if isinstance(person, list) else person

    response = logged_in(person).get(url(conf))

    assert response.status_code == 403
    assert "Die Sozialraumkonferenz organisiert die Sozialraumkoordination." in response.content.decode()


def test_a_registrant_reaches_their_own_registration_from_the_conference_page(conf, register, logged_in):
    browser = logged_in(conf.cycle.outsider)
    register(conf.event, conf.cycle.outsider.email, browser=browser)

    page = browser.get(url(conf, "")).content.decode()

    assert "Ihre Anmeldung" in page
    assert "Sie sind angemeldet." in page
    assert f"/veranstaltungen/{conf.event.pk}/meine-anmeldung/" in page
