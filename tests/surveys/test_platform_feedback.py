"""The footer's "Feedback zur Plattform": anybody writes, bots are refused, the coordination reads and ticks off."""

import time

import pytest

from surveys import spam
from surveys.models import PlatformFeedback


def started_long_ago():
    return spam.started_token(at=time.time() - 60)


def test_a_visitor_sends_feedback_from_the_footer_and_returns_to_the_page(client, page_tree):
    home = client.get("/").content.decode()
    assert "Feedback zur Plattform" in home and "/feedback/?seite=/" in home

    form = client.get("/feedback/?seite=/netzwerk/").content.decode()
    assert "Ihr Feedback ist uns herzlich willkommen!" in form
    response = client.post(
        "/feedback/",
        {
            "kind": "idea",
            "text": "Ein Kalender-Export für Outlook wäre toll.",
            "page": "/netzwerk/organisationen/",
            "started": started_long_ago(),
        },
        follow=True,
    )

    assert response.redirect_chain[0][0] == "/netzwerk/organisationen/"
    assert "Danke für Ihre Rückmeldung!" in response.content.decode()
    feedback = PlatformFeedback.objects.get()
    assert feedback.user is None and feedback.page == "/netzwerk/organisationen/" and feedback.kind == "idea"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"homepage": "http://spam.example"}, "Bitte dieses Feld leer lassen"),
        ({"started": "gefälscht"}, "Das Formular ist abgelaufen."),
        ({"text": "   "}, "Bitte schreiben Sie Ihre Rückmeldung."),
        ({"kind": "werbung"}, "Auswahl"),
    ],
)
def test_bots_and_empty_feedback_are_refused_and_nothing_is_stored(db, client, data, message):
    response = client.post("/feedback/", {"kind": "problem", "text": "Text", "started": started_long_ago(), **data})

    assert response.status_code == 400 and message in response.content.decode()
    assert not PlatformFeedback.objects.exists()


def test_a_form_sent_faster_than_a_person_reads_is_refused(db, client, settings):
    settings.SURVEYS_MIN_FILL_SECONDS = 5
    response = client.post("/feedback/", {"kind": "problem", "text": "Text", "started": spam.started_token()})

    assert response.status_code == 400 and "Das ging sehr schnell." in response.content.decode()


@pytest.mark.parametrize("outside", ["//evil.example/", "/\\evil.example/", "/\t/evil.example/"])
def test_a_page_outside_the_site_is_not_followed(db, client, outside):
    response = client.post(
        "/feedback/", {"kind": "praise", "text": "Super", "page": outside, "started": started_long_ago()}
    )

    assert response.status_code == 302 and response["Location"] == "/"
    assert PlatformFeedback.objects.get().page == ""


def test_the_coordination_reads_the_inbox_and_ticks_feedback_off(logged_in, coordinator, member):
    PlatformFeedback.objects.create(kind="problem", text="Die Suche findet keine Umlaute.", user=member)
    browser = logged_in(coordinator)

    inbox = browser.get("/feedback/eingang/").content.decode()
    assert "1 offene Rückmeldung" in inbox and "Die Suche findet keine Umlaute." in inbox
    assert member.public_name in inbox
    item = PlatformFeedback.objects.get()
    browser.post("/feedback/eingang/", {"feedback": item.pk, "handled": "on"})

    item.refresh_from_db()
    assert item.handled_at is not None and item.handled_by == coordinator
    assert "Keine offenen Rückmeldungen." in browser.get("/feedback/eingang/").content.decode()
    assert "Die Suche findet keine Umlaute." in browser.get("/feedback/eingang/?erledigt=1").content.decode()


def test_members_cannot_read_the_inbox(logged_in, member):
    response = logged_in(member).get("/feedback/eingang/")

    assert response.status_code == 403
    assert "Die Rückmeldungen zur Plattform liest die Sozialraumkoordination." in response.content.decode()
