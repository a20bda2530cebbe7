"""Minutes tests: a past meeting of the closed body (tests/conftest.py) with replies, and its minutes."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Meeting, MeetingReply
from minutes import services


@pytest.fixture(autouse=True)
def seeded_random():
    random.seed(13)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://sozialraum.example.org"


@pytest.fixture
def past_meeting(closed_body, moderator, member, make_user, add_member):
    """Last week's meeting: the member said yes, a second member said no."""
    start = timezone.now() - timedelta(days=7)
    meeting = Meeting.objects.create(
        body=closed_body,
        title="Sitzung der Lenkungsrunde",
        start=start,
        end=start + timedelta(hours=2),
        place="Rathaus",
    )
    absent = make_user("abwesend@example.org", display_name="Anton Abwesend")
    add_member(absent, closed_body)
    MeetingReply.objects.create(meeting=meeting, user=member, answer=MeetingReply.Answer.YES)
    MeetingReply.objects.create(meeting=meeting, user=absent, answer=MeetingReply.Answer.NO)
    return meeting


@pytest.fixture
def minutes(past_meeting, moderator):
    return services.start_minutes(moderator, past_meeting, "## Bericht\n\nDie Kita-Planung wurde vorgestellt.")


@pytest.fixture
def published(minutes, moderator, member, django_capture_on_commit_callbacks):
    """Minutes with a decision, a task for the member and a public summary, taken through the whole workflow."""
    services.edit_minutes(
        moderator,
        minutes,
        text=minutes.text,
        public_summary="Die Lenkungsrunde hat den **Kita-Bedarfsplan** beraten.",
        present_user_ids=[member.pk, moderator.pk],
    )
    services.add_decision(moderator, minutes, "Der Kita-Bedarfsplan wird der Stadtverordnetenversammlung empfohlen.")
    services.add_task(
        moderator,
        minutes,
        what="Stellungnahme an das Jugendamt schicken",
        owner=member,
        due_date=timezone.localdate() + timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        for step in ("voting", "approved", "published"):
            minutes = services.change_status(moderator, minutes, step)
    return minutes
