"""A series is one rule (RRULE) with exceptions: a cancelled date (EXDATE) or a moved one (RECURRENCE-ID)."""

from datetime import date, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import BERLIN, CalendarFeedToken, Meeting, MeetingSeries

from .conftest import berlin, calendar_of


@pytest.fixture
def weekly_across_dst(schedule):
    # The last Sunday of October 2030 is the 27th: clocks go back from CEST to CET.
    return schedule(
        title="Fokusgruppe Kita",
        start=berlin(2030, 10, 15, 16),
        end=berlin(2030, 10, 15, 18),
        repeat="weekly",
        repeat_until=date(2030, 11, 12),
    )


def test_a_weekly_series_across_the_october_change_keeps_16_00_local_time(weekly_across_dst):
    dates = list(Meeting.objects.filter(series=weekly_across_dst.series).order_by("start"))

    assert [m.local_start.date() for m in dates] == [date(2030, 10, d) for d in (15, 22, 29)] + [
        date(2030, 11, d) for d in (5, 12)
    ]
    assert {(m.local_start.hour, m.local_start.minute, m.local_end.hour) for m in dates} == {(16, 0, 18)}
    # The same wall-clock time is a different UTC time on each side of the change.
    assert [m.start.astimezone(BERLIN).utcoffset() for m in dates] == [timedelta(hours=2)] * 2 + [
        timedelta(hours=1)
    ] * 3


def test_the_series_invitation_has_one_rule_and_lists_every_date(weekly_across_dst, member, smtp_sink):
    (mail,) = smtp_sink.to(member.email)
    calendar, _part = calendar_of(mail)
    (master,) = calendar.events

    assert str(master["UID"]) == weekly_across_dst.series.ical_uid
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin" and master.DTSTART == berlin(2030, 10, 15, 16)
    assert "EXDATE" not in master
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Termine der Reihe" in text and "29. Oktober 2030" in text


def test_cancelling_one_date_cancels_only_that_date_and_the_feed_shows_an_exdate(
    weekly_across_dst, moderator, member, smtp_sink, django_capture_on_commit_callbacks, client
):
    third = Meeting.objects.get(series=weekly_across_dst.series, recurrence_id=berlin(2030, 10, 29, 16))
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(moderator, third)

    cancel_calendar, _part = calendar_of(smtp_sink.to(member.email)[-1])
    (event,) = cancel_calendar.events
    assert cancel_calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == weekly_across_dst.series.ical_uid
    assert event["RECURRENCE-ID"].dt == berlin(2030, 10, 29, 16)
    assert Meeting.objects.filter(series=weekly_across_dst.series, is_cancelled=False).count() == 4

    feed = _personal_feed(client, member)
    (master,) = [e for e in feed.events if "RRULE" in e]
    assert [d.dt for d in master["EXDATE"].dts] == [berlin(2030, 10, 29, 16)]
    assert master["EXDATE"].params["TZID"] == "Europe/Berlin"


def test_moving_one_date_makes_an_exception_with_recurrence_id(weekly_across_dst, moderator, member, client):
    second = Meeting.objects.get(series=weekly_across_dst.series, recurrence_id=berlin(2030, 10, 22, 16))
    services.update_meeting(moderator, second, start=berlin(2030, 10, 23, 10), end=berlin(2030, 10, 23, 12))

    feed = _personal_feed(client, member)
    events = [e for e in feed.events if str(e["UID"]) == weekly_across_dst.series.ical_uid]
    (master,) = [e for e in events if "RRULE" in e]
    (moved,) = [e for e in events if "RECURRENCE-ID" in e]

    assert moved["RECURRENCE-ID"].dt == berlin(2030, 10, 22, 16)
    assert moved.DTSTART == berlin(2030, 10, 23, 10)
    assert moved["SEQUENCE"] == 1
    assert master["SEQUENCE"] == MeetingSeries.objects.get().sequence == 1


def test_a_series_without_an_end_or_with_too_many_dates_is_refused_and_nothing_is_stored(schedule):
    with pytest.raises(ValidationError) as no_end:
        schedule(start=berlin(2030, 1, 8, 16), end=berlin(2030, 1, 8, 18), repeat="weekly", repeat_until=None)
    with pytest.raises(ValidationError) as too_long:
        schedule(
            start=berlin(2030, 1, 8, 16), end=berlin(2030, 1, 8, 18), repeat="weekly", repeat_until=date(2033, 1, 1)
        )

    assert "bis wann" in str(no_end.value)
    assert "höchstens 60 Termine" in str(too_long.value)
    assert not Meeting.objects.exists() and not MeetingSeries.objects.exists()


def test_every_second_tuesday_of_the_month(schedule):
    first = schedule(
        start=berlin(2030, 9, 10, 16),
        end=berlin(2030, 9, 10, 18),
        repeat="monthly_weekday",
        repeat_until=date(2031, 1, 31),
    )

    dates = [m.local_start for m in first.series.occurrences.order_by("start")]
    assert first.series.rrule.startswith("FREQ=MONTHLY") and "BYDAY=2TU" in first.series.rrule
    assert [(d.month, d.day, d.hour) for d in dates] == [
        (9, 10, 16),
        (10, 8, 16),
        (11, 12, 16),
        (12, 10, 16),
        (1, 14, 16),
    ]


def _personal_feed(client, user):
    feed = CalendarFeedToken.objects.get_or_create(user=user)[0]
    response = client.get(reverse("meetings:feed_personal", args=[feed.token]))
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def test_a_date_cannot_be_moved_onto_another_date_of_its_series(weekly_across_dst, moderator):
    second = Meeting.objects.get(series=weekly_across_dst.series, recurrence_id=berlin(2030, 10, 22, 16))
    before = list(Meeting.objects.values())

    with pytest.raises(ValidationError) as refused:
        services.update_meeting(moderator, second, start=berlin(2030, 10, 29, 17), end=berlin(2030, 10, 29, 19))

    assert "überschneidet sich mit einem anderen Termin derselben Reihe (29.10.2030 16:00)" in str(refused.value)
    assert list(Meeting.objects.values()) == before
