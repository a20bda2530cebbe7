"""In Chromium, without JavaScript of our own: the moderation asks for feedback from the meeting page, an attendee
answers from the mail's link at phone width, and the meeting page shows the count. axe-core's WCAG 2.1 AA rules pass
on the way."""

import pytest

from meetings.models import Attendance

from ..browser_site import BROWSER_CONTEXT, log_in
from ..site.test_accessibility import report, violations
from .test_browser import link_for, wait_for_mails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "de-DE"}


def test_the_moderation_asks_an_attendee_answers_and_the_meeting_page_counts(
    live_server, make_past_meeting, moderator, member, smtp_sink, chromium, settings, axe_source
):
    settings.SITE_URL = live_server.url
    meeting = make_past_meeting(title="Sitzung der Fokusgruppe Schule")
    for person in (member, moderator):
        Attendance.objects.create(meeting=meeting, user=person, present=True, recorded_by=moderator)
    found = []

    moderation = chromium.new_context(**BROWSER_CONTEXT)
    moderation.add_init_script(path=str(axe_source))
    log_in(moderation, live_server.url, moderator)
    desk = moderation.new_page()
    desk.goto(live_server.url + meeting.get_absolute_url())
    desk.get_by_role("link", name="Feedback anfragen").click()
    assert desk.get_by_text("2 Personen erhalten je einen persönlichen Link per E-Mail").is_visible()
    found.append(("confirmation", desk.url, violations(desk)))
    desk.get_by_role("button", name="Feedback anfragen (2 Personen)").click()
    assert desk.get_by_text("Feedback ist angefragt: 2 Personen").is_visible()
    wait_for_mails(smtp_sink, 2)

    attendee = chromium.new_context(**PHONE)
    attendee.add_init_script(path=str(axe_source))
    page = attendee.new_page()
    page.goto(link_for(smtp_sink, member.email, live_server.url, "Ihr Feedback, bitte"))
    found.append(("feedback form", page.url, violations(page)))
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Was war hilfreich?").fill("Die Zahlen zu den Hortplätzen.")
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_text("Vielen Dank für Ihr Feedback!").is_visible()

    desk.goto(live_server.url + meeting.get_absolute_url())
    assert desk.get_by_text("1 von 2 Antworten").is_visible()
    found.append(("meeting page", desk.url, violations(desk)))
    assert not any(v for _name, _url, v in found), report(found)
