"""An event's registration list: a waiting list beyond the capacity, cancellations by the signed link
or the account, and the first on the waiting list moving up with a mail."""

import random
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cms import services
from cms.models import EventPage, EventRegistration
from cms.registration_links import registration_token
from cms.selectors import attendees_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(page_tree):
    return page_tree.events.add_child(
        instance=EventPage(
            title="Sozialraumkonferenz 2026",
            start=timezone.now() + timedelta(days=30),
            location="Stubenrauchsaal, Teltow",
            intro="Alle Akteure des Netzwerks treffen sich.",
            registration_open=True,
            capacity=2,
            is_conference=True,
        )
    )


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    def post(event, email, browser=None, **fields):
        data = {"name": email.split("@")[0].title(), "email": email, "organisation": "Kita Sonnenschein", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return (browser or Client()).post(f"/veranstaltungen/{event.pk}/anmelden/", data, follow=True)

    return post


def page_of(registration, client=None, **kwargs):
    return (client or Client()).get(f"/veranstaltungen/anmeldung/{registration_token(registration)}/", **kwargs)


def cancel(registration, capture, client=None):
    with capture(execute=True):
        return (client or Client()).post(
            f"/veranstaltungen/anmeldung/{registration_token(registration)}/", {"action": "cancel"}, follow=True
        )


def test_beyond_the_capacity_registrants_are_told_they_wait_and_get_a_mail_saying_so(event, register, mailoutbox):
    register(event, "eins@example.org")
    register(event, "zwei@example.org")

    response = register(event, "drei@example.org")

    waiting = EventRegistration.objects.get(email="drei@example.org")
    assert waiting.status == EventRegistration.Status.WAITLISTED
    assert "Alle Plätze sind vergeben. Sie stehen auf der Warteliste (Platz 1)" in response.content.decode()
    assert "Warteliste (Platz 1)" in mailoutbox[-1].body
    assert registration_token(waiting) in mailoutbox[-1].body
    assert event.seats_left == 0


def test_a_cancellation_by_the_signed_link_moves_the_first_waiting_person_up_with_a_mail(
    event, register, mailoutbox, django_capture_on_commit_callbacks
):
    rng = random.Random(14)
    emails = [f"person{n}@example.org" for n in rng.sample(range(100), 4)]
    for email in emails:
        register(event, email)
    first = EventRegistration.objects.get(email=emails[0])
    mailoutbox.clear()

    response = cancel(first, django_capture_on_commit_callbacks)

    assert "Ihre Anmeldung ist storniert." in response.content.decode()
    statuses = dict(EventRegistration.objects.values_list("email", "status"))
    assert statuses == {emails[0]: "cancelled", emails[1]: "confirmed", emails[2]: "confirmed", emails[3]: "waitlisted"}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([emails[0], emails[2]])
    moved_mail = next(m for m in mailoutbox if m.to == [emails[2]])
    assert "Ein Platz ist frei geworden" in moved_mail.subject
    assert "jetzt verbindlich angemeldet" in moved_mail.body


def test_a_reused_cancellation_link_changes_nothing_and_says_so(
    event, register, mailoutbox, django_capture_on_commit_callbacks
):
    for email in ("eins@example.org", "zwei@example.org", "drei@example.org", "vier@example.org"):
        register(event, email)
    first = EventRegistration.objects.get(email="eins@example.org")
    cancel(first, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    response = cancel(first, django_capture_on_commit_callbacks)

    assert "Diese Anmeldung ist bereits storniert." in response.content.decode()
    assert EventRegistration.objects.get(email="vier@example.org").status == "waitlisted"
    assert mailoutbox == []


def test_a_forged_or_damaged_link_is_refused_in_german(event, register):
    register(event, "eins@example.org")
    registration = EventRegistration.objects.get()
    token = registration_token(registration)

    for bad in (token[:-3] + "abc", "kein-gueltiger-link", token.replace(":", ".")):
        response = Client().post(f"/veranstaltungen/anmeldung/{bad}/", {"action": "cancel"})
        assert response.status_code == 400
        assert "Dieser Link ist ungültig oder beschädigt." in response.content.decode()
    assert EventRegistration.objects.get().status == "confirmed"


def test_the_registrant_sees_their_registration_with_status_and_organisation(event, register):
    register(event, "eins@example.org")
    register(event, "zwei@example.org")
    register(event, "drei@example.org", organisation="Jugendclub Nord")

    page = page_of(EventRegistration.objects.get(email="drei@example.org")).content.decode()

    assert "Jugendclub Nord" in page
    assert "Sie stehen auf der Warteliste (Platz 1)" in page
    assert "Anmeldung stornieren" in page


def test_a_logged_in_registrant_reaches_their_registration_from_the_event_page(
    event, register, logged_in, professional
):
    browser = logged_in(professional)
    register(event, professional.email, browser=browser)

    event_page = browser.get(event.url).content.decode()
    own = browser.get(f"/veranstaltungen/{event.pk}/meine-anmeldung/", follow=True)

    assert "Ihre Anmeldung ansehen oder stornieren" in event_page
    assert "Sie sind verbindlich angemeldet." in own.content.decode()


def test_someone_without_a_registration_gets_a_german_404_from_the_account_link(event, logged_in, professional):
    response = logged_in(professional).get(f"/veranstaltungen/{event.pk}/meine-anmeldung/")

    assert response.status_code == 404


def test_a_cancelled_address_may_register_again_and_queues_anew(event, register, django_capture_on_commit_callbacks):
    for email in ("eins@example.org", "zwei@example.org"):
        register(event, email)
    cancel(EventRegistration.objects.get(email="eins@example.org"), django_capture_on_commit_callbacks)
    register(event, "drei@example.org")

    response = register(event, "eins@example.org")

    assert EventRegistration.objects.get(email="eins@example.org").status == "waitlisted"
    assert "Warteliste (Platz 1)" in response.content.decode()
    assert EventRegistration.objects.count() == 3


def test_cancelled_registrants_leave_the_newsletter_audience_waiting_ones_stay(event, register):
    for email in ("eins@example.org", "zwei@example.org", "drei@example.org"):
        register(event, email)
    services.cancel_registration(EventRegistration.objects.get(email="zwei@example.org"))

    assert sorted(r.email for r in attendees_of(event)) == ["drei@example.org", "eins@example.org"]


def test_more_seats_published_in_the_admin_move_the_waiting_list_up_in_order(
    event, register, mailoutbox, django_capture_on_commit_callbacks
):
    for email in ("eins@example.org", "zwei@example.org", "drei@example.org", "vier@example.org", "fuenf@example.org"):
        register(event, email)
    mailoutbox.clear()
    event.capacity = 4

    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()

    statuses = dict(EventRegistration.objects.values_list("email", "status"))
    assert [email for email, status in statuses.items() if status == "waitlisted"] == ["fuenf@example.org"]
    assert sorted(m.to[0] for m in mailoutbox) == ["drei@example.org", "vier@example.org"]
    assert all("Ein Platz ist frei geworden" in m.subject for m in mailoutbox)
