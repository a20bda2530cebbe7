"""After the Sozialraumkonferenz the coordination asks the registered (not the cancelled, not the waiting list) for
feedback from the conference page; the conference template's questions reach them by personal link."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.models import EventPage, EventRegistration
from planning.conference import services as conference_services
from planning.models import PlanningYear
from surveys.models import FeedbackRequest

from .conftest import SITE_URL, text_of

LINK = re.compile(re.escape(SITE_URL) + r"(/umfragen/einladung/[^\s]+/)")


@pytest.fixture
def conference(page_tree, survey_index, coordinator, member):
    event = page_tree.events.add_child(
        instance=EventPage(
            title="Sozialraumkonferenz 2026",
            slug="sozialraumkonferenz-2026",
            start=timezone.now() - timedelta(days=2, hours=6),
            end=timezone.now() - timedelta(days=2),
            location="Stubenrauchsaal, Teltow",
            intro="Alle Akteure des Netzwerks beraten die Prioritäten.",
            is_conference=True,
        )
    )
    year = PlanningYear.objects.create(year=timezone.localdate().year)
    conference = conference_services.set_up_conference(coordinator, year, event)
    status = EventRegistration.Status
    for email, state, user in (
        ("leitung@kita-sonnenschein.example.org", status.CONFIRMED, None),
        (member.email, status.CONFIRMED, member),
        ("storniert@example.org", status.CANCELLED, None),
        ("warteliste@example.org", status.WAITLISTED, None),
    ):
        EventRegistration.objects.create(event=event, name=email.split("@")[0], email=email, status=state, user=user)
    return conference


def test_the_coordination_asks_the_registered_from_the_conference_page(
    logged_in, client, conference, coordinator, member, smtp_sink, django_capture_on_commit_callbacks
):
    browser = logged_in(coordinator)
    page = browser.get(reverse("planning:conference", args=[conference.year.year]))
    url = reverse("surveys:request_conference_feedback", args=[conference.year.year])
    assert url in page.text and "Feedback anfragen" in page.text
    confirm = browser.get(url)
    assert "2 Personen erhalten je einen persönlichen Link per E-Mail" in confirm.text

    with django_capture_on_commit_callbacks(execute=True):
        asked = browser.post(url, {}, follow=True)

    assert "Feedback ist angefragt: 2 Personen" in asked.text
    assert "Feedback angefragt am" in asked.text and "0 von 2 Antworten" in asked.text
    assert sorted(a for entry in smtp_sink.messages for a in entry.rcpt_tos) == sorted(
        ["leitung@kita-sonnenschein.example.org", member.email]
    )
    request = FeedbackRequest.objects.get(conference=conference)
    assert request.survey.title.startswith("Feedback: Sozialraumkonferenz 2026 am ")
    link = LINK.search(text_of(smtp_sink.to(member.email)[0])).group(1)
    assert "Wie hilfreich war Ihr Forum für Ihre Arbeit?" in client.get(link).text


def test_moderators_may_not_ask_the_conference(logged_in, conference, moderator, smtp_sink):
    url = reverse("surveys:request_conference_feedback", args=[conference.year.year])

    refused = logged_in(moderator).post(url, {})

    assert refused.status_code == 403
    assert "Feedback zur Sozialraumkonferenz fragt die Sozialraumkoordination an." in refused.text
    assert not FeedbackRequest.objects.exists() and not smtp_sink.messages
