"""The demo shows a past meeting's feedback: its status on the meeting page and invented answers in the results."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from network.models import User
from surveys.models import AutomaticFeedback, FeedbackRequest, Response


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_a_past_meeting_of_fg_schule_has_feedback_with_example_answers(seeded):
    feedback = FeedbackRequest.objects.select_related("meeting", "survey").get(meeting__body__slug="fg-schule")
    moderation = Client()
    moderation.force_login(User.objects.get(email="moderation-schule@example.org"))

    page = moderation.get(feedback.meeting.get_absolute_url())
    invited = feedback.survey.participants.count()
    assert page.status_code == 200
    assert f"4 von {invited} Antworten" in page.text and "Feedback angefragt am" in page.text
    results = moderation.get(reverse("surveys:results", args=[feedback.survey.pk]))
    assert results.status_code == 200
    assert "Wie zufrieden sind Sie insgesamt mit der Sitzung?" in results.text
    assert "Unterlagen bitte eine Woche vorher schicken." in results.text
    assert "Beispieldaten" in feedback.survey.intro
    assert Response.objects.filter(survey=feedback.survey, user__isnull=True).count() == 4
    assert AutomaticFeedback.objects.filter(body__slug="fg-schule", active=True).exists()
