"""In Chromium: a moderator schedules a meeting from the body page, a member says yes from the mail's link, the
moderator writes the minutes, puts them to the vote, approves and publishes them, and a visitor reads the public
summary on the body page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import BERLIN, Meeting, MeetingReply
from minutes.models import Minutes

from ..browser_site import BROWSER_CONTEXT, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reply_link(sink, person, label):
    for mail in reversed(sink.to(person.email)):
        text = mail.get_body(preferencelist=("plain",)).get_content()
        match = re.search(rf"^{label}: (\S+)", text, re.MULTILINE)
        if match:
            return match.group(1)
    received = [(entry.rcpt_tos, str(entry.message["Subject"])) for entry in sink.messages]
    raise AssertionError(f"no invitation with a '{label}' link for {person.email}; the sink holds {received}")


def test_a_meeting_from_schedule_to_published_minutes(
    moderator, member, closed_body, smtp_sink, settings, live_server, chromium, artifacts
):
    # The people exist before Chromium starts: new memberships broadcast to the live layer from on_commit,
    # which cannot send from a thread with a running event loop (the argument order above).
    settings.SITE_URL = live_server.url
    start = timezone.localtime(timezone.now() + timedelta(days=7), BERLIN).replace(hour=16, minute=0)

    moderation = chromium.new_context(**BROWSER_CONTEXT)
    log_in(moderation, live_server.url, moderator)
    page = moderation.new_page()
    page.goto(live_server.url + closed_body.get_absolute_url())
    page.get_by_role("link", name="Sitzung planen").click()
    page.get_by_label("Titel", exact=True).fill("Sitzung zum Kita-Bedarfsplan")
    page.get_by_label("Beginn", exact=True).fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ende", exact=True).fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ort (optional)", exact=True).fill("Rathaus Teltow, Raum 2.14")
    page.get_by_role("button", name="Sitzung planen und einladen").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get(title="Sitzung zum Kita-Bedarfsplan")
    assert page.url.endswith(meeting.get_absolute_url())

    # The member answers from the mail, without logging in: the link only asks, the button answers.
    visitor_of_mail = chromium.new_context(**BROWSER_CONTEXT)
    mail_page = visitor_of_mail.new_page()
    mail_page.goto(reply_link(smtp_sink, member, "Zusage"))
    mail_page.locator("main form [type=submit]").click()
    mail_page.wait_for_load_state()
    assert "Zusage" in mail_page.content()
    assert MeetingReply.objects.get(meeting=meeting, user=member).answer == MeetingReply.Answer.YES
    visitor_of_mail.close()

    # A week passes: the meeting has taken place.
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=1)
    )

    page.goto(live_server.url + meeting.get_absolute_url())
    page.get_by_role("link", name="Protokoll schreiben").click()
    page.get_by_role("button", name="Protokoll anlegen").click()
    page.wait_for_load_state()
    assert page.get_by_role("checkbox", name="Mia Mitglied").is_checked()
    page.get_by_label("Protokoll (optional)", exact=True).fill(
        "## Bericht\n\nDer **Kita-Bedarfsplan** wurde vorgestellt."
    )
    page.get_by_label("Öffentliche Zusammenfassung (optional)").fill(
        "Die Lenkungsrunde empfiehlt den Kita-Bedarfsplan der Stadtverordnetenversammlung."
    )
    page.get_by_role("button", name="Protokoll speichern").click()
    page.get_by_label("Beschluss", exact=True).fill("Der Kita-Bedarfsplan wird empfohlen.")
    page.get_by_role("button", name="Beschluss eintragen").click()
    page.get_by_label("Aufgabe", exact=True).fill("Stellungnahme an das Jugendamt schicken")
    page.get_by_label("Wer", exact=True).select_option(label="Mia Mitglied")
    page.get_by_label("Bis wann").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Aufgabe eintragen").click()
    page.get_by_role("link", name="Zur Ansicht des Protokolls").click()
    for button in ("Zur Abstimmung stellen", "Freigeben", "Veröffentlichen"):
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
    page.screenshot(path=str(artifacts / "minutes-published.png"), full_page=True)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.PUBLISHED and minutes.discussion is not None
    assert page.get_by_role("link", name="Anmerkungen im Forum").is_visible()
    moderation.close()

    visitor = chromium.new_context(**BROWSER_CONTEXT)
    body_page = visitor.new_page()
    body_page.goto(live_server.url + closed_body.get_absolute_url())
    assert body_page.get_by_text("Die Lenkungsrunde empfiehlt den Kita-Bedarfsplan").is_visible()
    assert body_page.get_by_text("Stellungnahme an das Jugendamt schicken").count() == 0
    visitor.close()
