"""Editing or cancelling a date of a series: "nur diesen Termin", "diesen und alle folgenden", "ganze Reihe",
mailed as RFC 5545 updates that calendar programs apply (parsed back with `icalendar`)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingSeries

from .conftest import berlin, calendar_of


@pytest.fixture
def weekly(schedule):
    """Five Tuesdays 16–18 h across the October change of the clocks."""
    return schedule(
        title="Fokusgruppe Kita",
        start=berlin(2030, 10, 15, 16),
        end=berlin(2030, 10, 15, 18),
        repeat="weekly",
        repeat_until=date(2030, 11, 12),
    )


def _date(series, day, month=10):
    return Meeting.objects.get(series=series, recurrence_id__date=date(2030, month, day))


def _last_calendar(smtp_sink, person):
    mail = smtp_sink.to(person.email)[-1]
    calendar, part = calendar_of(mail)
    return mail, calendar, part


def test_the_whole_series_moves_to_17_00_and_one_request_updates_the_master(
    weekly, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    series = weekly.series
    third = _date(series, 29)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(
            moderator, third, "series", start=berlin(2030, 10, 29, 17), end=berlin(2030, 10, 29, 19), title="Kita-Runde"
        )

    dates = list(series.occurrences.order_by("start"))
    assert {(d.local_start.hour, d.local_end.hour, d.title) for d in dates} == {(17, 19, "Kita-Runde")}
    assert [d.local_start.date().day for d in dates] == [15, 22, 29, 5, 12]
    mail, calendar, part = _last_calendar(smtp_sink, member)
    assert "Geändert: Kita-Runde" in str(mail["Subject"])
    assert calendar["METHOD"] == "REQUEST" and part.get_param("method") == "REQUEST"
    (master,) = calendar.events
    assert str(master["UID"]) == series.ical_uid
    assert master.DTSTART == berlin(2030, 10, 15, 17) and master["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert master["SEQUENCE"] == MeetingSeries.objects.get(pk=series.pk).sequence == 1
    assert "Kita-Runde" in str(master["SUMMARY"])
    assert "RECURRENCE-ID" not in master


def test_a_moved_date_stays_an_exception_when_the_whole_series_changes_its_time(
    weekly, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    series = weekly.series
    services.update_meeting(moderator, _date(series, 22), start=berlin(2030, 10, 23, 10), end=berlin(2030, 10, 23, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(
            moderator, _date(series, 29), "series", start=berlin(2030, 10, 29, 15), end=berlin(2030, 10, 29, 17)
        )

    _mail, calendar, _part = _last_calendar(smtp_sink, member)
    (master,) = [e for e in calendar.events if "RRULE" in e]
    (moved,) = [e for e in calendar.events if "RECURRENCE-ID" in e]
    assert master.DTSTART == berlin(2030, 10, 15, 15)
    # The exception keeps its own day and time, and its RECURRENCE-ID follows the rule's new time.
    assert moved.DTSTART == berlin(2030, 10, 23, 10)
    assert moved["RECURRENCE-ID"].dt == berlin(2030, 10, 22, 15)


def test_this_and_following_dates_split_the_series_into_two_with_until_and_a_new_uid(
    weekly, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    old = weekly.series
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(
            moderator, _date(old, 29), "following", start=berlin(2030, 10, 29, 18), end=berlin(2030, 10, 29, 20)
        )

    new = MeetingSeries.objects.exclude(pk=old.pk).get()
    assert [d.local_start.hour for d in old.occurrences.order_by("start")] == [16, 16]
    assert [d.local_start.hour for d in new.occurrences.order_by("start")] == [18, 18, 18]
    mails = smtp_sink.to(member.email)[-2:]
    update, invitation = sorted(mails, key=lambda m: "Einladung" in str(m["Subject"]))
    old_calendar, _part = calendar_of(update)
    (old_master,) = old_calendar.events
    assert str(old_master["UID"]) == old.ical_uid and old_calendar["METHOD"] == "REQUEST"
    # UNTIL ends the old rule before 29 October: the calendar drops the dates that moved to the new series.
    assert old_master["RRULE"]["UNTIL"][0] < berlin(2030, 10, 29, 16)
    assert old_master["SEQUENCE"] == 1
    new_calendar, _part = calendar_of(invitation)
    (new_master,) = new_calendar.events
    assert str(new_master["UID"]) == new.ical_uid != old.ical_uid
    assert new_master.DTSTART == berlin(2030, 10, 29, 18)


def test_moving_several_dates_to_another_day_is_refused_and_nothing_changes(weekly, moderator):
    before = list(Meeting.objects.values()), list(MeetingSeries.objects.values())

    with pytest.raises(ValidationError) as refused:
        services.update_meeting(
            moderator, _date(weekly.series, 29), "series", start=berlin(2030, 10, 30, 16), end=berlin(2030, 10, 30, 18)
        )

    assert "nur die Uhrzeit ändern" in str(refused.value)
    assert (list(Meeting.objects.values()), list(MeetingSeries.objects.values())) == before


def test_a_new_time_for_the_series_may_not_overlap_a_moved_date(weekly, moderator):
    series = weekly.series
    # 22 October moved to the morning of 29 October; the series then moving to 9 h would collide with it.
    services.update_meeting(moderator, _date(series, 22), start=berlin(2030, 10, 29, 8), end=berlin(2030, 10, 29, 10))
    before = list(Meeting.objects.values())

    with pytest.raises(ValidationError) as refused:
        services.update_meeting(
            moderator, _date(series, 29), "series", start=berlin(2030, 10, 29, 9), end=berlin(2030, 10, 29, 11)
        )

    assert "überschneidet sich mit einem anderen Termin derselben Reihe" in str(refused.value)
    assert list(Meeting.objects.values()) == before


def test_cancelling_the_whole_series_sends_method_cancel_for_the_series_uid(
    weekly, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(moderator, _date(weekly.series, 22), "series")

    assert not Meeting.objects.filter(series=weekly.series, is_cancelled=False).exists()
    mail, calendar, part = _last_calendar(smtp_sink, member)
    assert "Abgesagt: alle weiteren Termine von Fokusgruppe Kita" in str(mail["Subject"])
    assert calendar["METHOD"] == "CANCEL" and part.get_param("method") == "CANCEL"
    (event,) = calendar.events
    assert str(event["UID"]) == weekly.series.ical_uid
    assert "RECURRENCE-ID" not in event and event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == MeetingSeries.objects.get().sequence == 1


def test_cancelling_this_and_the_following_dates_turns_them_into_exdates(
    weekly, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(moderator, _date(weekly.series, 5, month=11), "following")

    _mail, calendar, _part = _last_calendar(smtp_sink, member)
    assert calendar["METHOD"] == "REQUEST"
    (master,) = calendar.events
    assert [d.dt for d in master["EXDATE"].dts] == [berlin(2030, 11, 5, 16), berlin(2030, 11, 12, 16)]
    assert Meeting.objects.filter(series=weekly.series, is_cancelled=False).count() == 3


def test_the_edit_page_offers_the_three_choices_and_applies_the_chosen_one(weekly, moderator, client):
    client.force_login(moderator)
    third = _date(weekly.series, 29)
    url = reverse("meetings:edit", args=[third.pk])
    page = client.get(url).content.decode()
    for label in ("nur diesen Termin", "diesen und alle folgenden Termine", "ganze Reihe"):
        assert label in page

    response = client.post(
        url,
        {
            "title": "Fokusgruppe Kita",
            "start": "2030-10-29T17:00",
            "end": "2030-10-29T19:00",
            "place": "Rathaus Teltow, Raum 2.14",
            "visibility": "members",
            "reminder": "day_before",
            "scope": "series",
        },
    )

    assert response.status_code == 302
    assert {d.local_start.hour for d in weekly.series.occurrences.all()} == {17}


def test_the_cancel_page_of_a_series_date_asks_which_dates(weekly, moderator, client):
    client.force_login(moderator)
    url = reverse("meetings:cancel", args=[_date(weekly.series, 29).pk])
    assert "alle weiteren Termine der Reihe" in client.get(url).content.decode()

    refused = client.post(url, {"scope": "alles"})
    assert refused.status_code == 400
    assert "Bitte wählen Sie eine der angebotenen Möglichkeiten." in refused.content.decode()
    assert not Meeting.objects.filter(is_cancelled=True).exists()

    client.post(url, {"scope": "following"})
    assert Meeting.objects.filter(is_cancelled=True).count() == 3
