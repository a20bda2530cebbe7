"""Meetings tests: the bodies, people and the SMTP sink are in tests/conftest.py."""

import random
from datetime import datetime, timedelta

import icalendar
import pytest
from django.utils import timezone

from meetings import services
from meetings.models import BERLIN


@pytest.fixture(autouse=True)
def seeded_random():
    random.seed(13)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://sozialraum.example.org"


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN)


def next_week_at(hour, minute=0, days=7):
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def schedule(moderator, member, closed_body, django_capture_on_commit_callbacks, smtp_sink):  # noqa: F811
    """Schedule through the service as the closed body's moderator (its member invited), running the on-commit mails."""

    def make(**fields):
        start = fields.pop("start", next_week_at(16))
        fields.setdefault("end", start + timedelta(hours=2))
        fields.setdefault("title", "Sitzung der Lenkungsrunde")
        fields.setdefault("place", "Rathaus Teltow, Raum 2.14")
        by = fields.pop("by", moderator)
        body = fields.pop("body", closed_body)
        with django_capture_on_commit_callbacks(execute=True):
            return services.schedule_meeting(by, body, start=start, **fields)

    return make


def calendar_of(message):
    """The parsed .ics attachment of a received mail."""
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "expected exactly one calendar attachment"
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True)), parts[0]


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()
