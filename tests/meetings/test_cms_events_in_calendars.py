"""CMS events (EventPage) appear in the calendar feeds and on the calendar page, via meetings.sources."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from cms.models import EventPage
from meetings import sources
from meetings.models import CalendarFeedToken

from .conftest import next_week_at


@pytest.fixture
def conference(page_tree, closed_body):
    start = next_week_at(9, days=20)
    return page_tree.events.add_child(
        instance=EventPage(
            title="Sozialraumkonferenz 2030",
            slug="sozialraumkonferenz-2030",
            start=start,
            end=start + timedelta(hours=6),
            location="Stubenrauchsaal Teltow",
            intro="Das jährliche Treffen des Netzwerks.",
            network_body=closed_body,
        )
    )


def _events(response):
    assert response.status_code == 200
    return {str(event["UID"]): event for event in icalendar.Calendar.from_ical(response.content).events}


def test_the_cms_registers_its_events_as_a_source_of_the_meetings_calendars():
    from cms.calendar_events import public_events

    assert public_events in sources._sources


def test_a_public_event_is_in_the_network_body_and_personal_feeds_with_a_stable_uid(
    conference, closed_body, member, client
):
    uid = f"cms-event-{conference.pk}@sozialraum-teltow"
    token = CalendarFeedToken.objects.create(user=member).token
    feeds = [
        reverse("meetings:feed_network"),
        reverse("meetings:feed_body", args=[closed_body.slug]),
        reverse("meetings:feed_personal", args=[token]),
    ]
    for url in feeds:
        event = _events(client.get(url))[uid]
        assert str(event["SUMMARY"]) == "Sozialraumkonferenz 2030"
        assert event.DTSTART == conference.start and event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert str(event["LOCATION"]) == "Stubenrauchsaal Teltow"
        assert str(event["URL"]) == "https://sozialraum.example.org/termine/sozialraumkonferenz-2030/"

    conference.title = "Sozialraumkonferenz 2030 (neuer Titel)"
    conference.save_revision().publish()
    assert uid in _events(client.get(feeds[0]))


def test_a_draft_or_another_bodys_event_stays_out(conference, open_body, client):
    conference.unpublish()
    assert not any(uid.startswith("cms-event-") for uid in _events(client.get(reverse("meetings:feed_network"))))
    conference.save_revision().publish()
    assert not any(
        uid.startswith("cms-event-")
        for uid in _events(client.get(reverse("meetings:feed_body", args=[open_body.slug])))
    )


def test_the_calendar_page_lists_the_event_in_list_and_month_view(conference, client):
    listed = client.get(reverse("meetings:calendar")).content.decode()
    assert "Sozialraumkonferenz 2030" in listed and "Veranstaltung" in listed

    month = timezone.localtime(conference.start).strftime("%Y-%m")
    grid = client.get(reverse("meetings:calendar"), {"ansicht": "monat", "monat": month}).content.decode()
    assert "Veranstaltung: Sozialraumkonferenz 2030" in grid
