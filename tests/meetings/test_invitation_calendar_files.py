"""Invitations, updates and cancellations carry an .ics that calendar programs apply to one entry."""

from datetime import timedelta

from django.utils import timezone

from meetings import services

from .conftest import calendar_of, next_week_at


def test_the_invitation_is_a_request_with_a_berlin_start_and_a_timezone(schedule, member, smtp_sink):
    meeting = schedule(title="Haushaltsplanung", start=next_week_at(16))

    (mail,) = smtp_sink.to(member.email)
    calendar, part = calendar_of(mail)
    (event,) = calendar.events

    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == meeting.ical_uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.DTSTART.hour == 16 and event.DTSTART == meeting.start
    assert "Haushaltsplanung" in str(event["SUMMARY"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert f"mailto:{member.email}" == str(event["ATTENDEE"])


def test_a_change_sends_the_same_uid_with_a_higher_sequence(
    schedule, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = schedule(start=next_week_at(16))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(moderator, meeting, start=next_week_at(17), end=next_week_at(19))

    first, update = smtp_sink.to(member.email)
    (old,), (new,) = calendar_of(first)[0].events, calendar_of(update)[0].events

    assert str(new["UID"]) == str(old["UID"]) == meeting.ical_uid
    assert new["SEQUENCE"] == old["SEQUENCE"] + 1 == 1
    assert new.DTSTART.hour == 17 and new["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(update["Subject"]).strip().startswith("Geändert:")


def test_a_change_of_the_capacity_alone_sends_no_calendar_update(
    schedule, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = schedule()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(moderator, meeting, capacity=30)

    assert len(smtp_sink.to(member.email)) == 1
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_a_cancellation_is_a_cancel_for_the_same_uid(
    schedule, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = schedule()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(moderator, meeting)

    cancellation = smtp_sink.to(member.email)[-1]
    calendar, part = calendar_of(cancellation)
    (event,) = calendar.events

    assert calendar["METHOD"] == "CANCEL" and part.get_param("method") == "CANCEL"
    assert str(event["UID"]) == meeting.ical_uid
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert str(cancellation["Subject"]).strip().startswith("Abgesagt:")


def test_a_meeting_starting_in_a_few_minutes_is_still_accepted(schedule):
    meeting = schedule(start=timezone.now() + timedelta(minutes=5))
    assert meeting.pk
