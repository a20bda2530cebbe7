"""iCalendar (RFC 5545) for invitations and feeds, written with the `icalendar` library.

A single meeting is one VEVENT with its own UID. A series is one VEVENT with the RRULE under the
series' UID; a cancelled date becomes an EXDATE, a moved or changed date a VEVENT with RECURRENCE-ID.
Calendar programs match updates by UID (+ RECURRENCE-ID) and take the higher SEQUENCE.
"""

from collections import defaultdict
from datetime import datetime
from functools import lru_cache

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import BERLIN, Meeting
from .sources import CalendarEntry

PRODID = "-//Sozialraumnetzwerk Teltow//Sitzungen//DE"


@lru_cache(maxsize=1)
def berlin_timezone() -> icalendar.Timezone:
    """The VTIMEZONE of Europe/Berlin, the only zone our events use (every DTSTART is local time). Working
    out its transitions is a third of a feed's time, and they do not change while the process runs."""
    return icalendar.Timezone.from_tzid("Europe/Berlin")


def new_calendar(method: str | None = None, name: str = "") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _location(meeting):
    parts = [meeting.place]
    if meeting.organisation_id and meeting.organisation.address:
        parts.append(f"{meeting.organisation.name}, {meeting.organisation.address}")
    if meeting.online_url:
        parts.append(meeting.online_url)
    return " · ".join(part for part in parts if part)


def _fill(event, meeting, *, sequence, stamp):
    event.add("summary", f"{meeting.title} ({meeting.body.short_name or meeting.body.name})")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("url", _absolute(meeting.get_absolute_url()))
    location = _location(meeting)
    if location:
        event.add("location", location)
    description = "\n\n".join(part for part in [meeting.description, _absolute(meeting.get_absolute_url())] if part)
    event.add("description", description)
    event.add("class", "PUBLIC" if meeting.visibility == "public" else "PRIVATE")


def _berlin(moment):
    return timezone.localtime(moment, BERLIN)


def single_event(meeting: Meeting, *, stamp: datetime | None = None, attendee=None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting.ical_uid)
    event.add("dtstart", _berlin(meeting.start))
    event.add("dtend", _berlin(meeting.end))
    _fill(event, meeting, sequence=meeting.sequence, stamp=stamp or timezone.now())
    _people(event, attendee)
    return event


def _people(event, attendee):
    organizer = icalendar.vCalAddress(f"mailto:{settings.MEETINGS_ORGANIZER_EMAIL}")
    organizer.params["cn"] = icalendar.vText(settings.MEETINGS_ORGANIZER_NAME)
    event.add("organizer", organizer)
    if attendee is not None:
        address = icalendar.vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = icalendar.vText(attendee.public_name)
        address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        address.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        address.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", address)


def series_events(occurrences, *, stamp=None, attendee=None) -> list[icalendar.Event]:
    """The master VEVENT of a series and one VEVENT per changed date; `occurrences` are the series' meetings."""
    stamp = stamp or timezone.now()
    occurrences = sorted(occurrences, key=lambda meeting: meeting.recurrence_id)
    series = occurrences[0].series
    # The master carries what the dates following the rule have in common: a changed or past date is an exception.
    template = next((m for m in occurrences if not m.is_exception and not m.is_cancelled), occurrences[0])
    master = icalendar.Event()
    master.add("uid", series.ical_uid)
    master.add("dtstart", _berlin(series.first_start))
    master.add("dtend", _berlin(series.first_end))
    master.add("rrule", icalendar.vRecur.from_ical(series.rrule))
    _fill(master, template, sequence=series.sequence, stamp=stamp)
    # The master is never cancelled as a whole here: a cancelled date is an EXDATE.
    master["status"] = "CONFIRMED"
    _people(master, attendee)
    cancelled = [_berlin(meeting.recurrence_id) for meeting in occurrences if meeting.is_cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    events = [master]
    for meeting in occurrences:
        if meeting.is_cancelled or not meeting.is_exception:
            continue
        changed = single_event(meeting, stamp=stamp, attendee=attendee)
        changed["uid"] = series.ical_uid
        changed.add("recurrence-id", _berlin(meeting.recurrence_id))
        events.append(changed)
    return events


def date_event(meeting: Meeting, *, attendee=None) -> icalendar.Event:
    """One date: a single meeting, or one date of a series as the instance with the series' UID and RECURRENCE-ID
    (what a guest of that date gets, and what cancelling that date sends)."""
    event = single_event(meeting, attendee=attendee)
    if meeting.series_id:
        event["uid"] = meeting.series.ical_uid
        event.add("recurrence-id", _berlin(meeting.recurrence_id))
    return event


def events_for(meetings, *, attendee=None) -> list[icalendar.Event]:
    """VEVENTs for a list of meetings: singles as they are, series grouped under their master."""
    stamp = timezone.now()
    events, by_series = [], defaultdict(list)
    for meeting in meetings:
        if meeting.series_id:
            by_series[meeting.series_id].append(meeting)
        else:
            events.append(single_event(meeting, stamp=stamp, attendee=attendee))
    for occurrences in by_series.values():
        events.extend(series_events(occurrences, stamp=stamp, attendee=attendee))
    return events


cancellation_event = date_event


def invitation_calendar(
    meeting: Meeting,
    occurrences,
    *,
    method: str,
    attendee=None,
    only_this_date: bool = False,
    whole_series: bool = False,
) -> bytes:
    calendar = new_calendar(method)
    if whole_series:
        # Cancelling the series: its master UID without RECURRENCE-ID removes every date at once.
        master = series_events(occurrences, attendee=attendee)[0]
        master["status"] = "CANCELLED"
        calendar.add_component(master)
    elif method == "CANCEL" or only_this_date:
        event = date_event(meeting, attendee=attendee)
        if method == "CANCEL":
            event["status"] = "CANCELLED"  # also for someone no longer invited to a meeting that takes place
        calendar.add_component(event)
    else:
        for event in events_for(occurrences, attendee=attendee):
            calendar.add_component(event)
    calendar.add_component(berlin_timezone())
    return calendar.to_ical()


def entry_event(entry: CalendarEntry, *, stamp: datetime) -> icalendar.Event:
    """An event of another app (registered in meetings.sources), public by definition."""
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstart", _berlin(entry.start))
    if entry.end and entry.end > entry.start:
        event.add("dtend", _berlin(entry.end))
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    if entry.last_modified:
        event.add("last-modified", entry.last_modified)
    event.add("summary", entry.title)
    event.add("status", "CONFIRMED")
    event.add("url", entry.url)
    if entry.location:
        event.add("location", entry.location)
    event.add("description", "\n\n".join(part for part in [entry.description, entry.url] if part))
    event.add("class", "PUBLIC")
    return event


def feed_calendar(meetings, name: str, entries: list[CalendarEntry] = ()) -> bytes:
    calendar = new_calendar(name=name)
    calendar.add("refresh-interval", icalendar.vDuration.from_ical("PT1H"), parameters={"VALUE": "DURATION"})
    for event in events_for(meetings):
        calendar.add_component(event)
    stamp = timezone.now()
    for entry in entries:
        calendar.add_component(entry_event(entry, stamp=stamp))
    calendar.add_component(berlin_timezone())
    return calendar.to_ical()
