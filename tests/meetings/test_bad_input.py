"""Bad input gets a German message and changes nothing stored."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.permissions import PermissionDenied
from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingReply

from .conftest import next_week_at


def _state():
    return list(Meeting.objects.values()), list(MeetingReply.objects.values()), list(AgendaItem.objects.values())


def test_an_end_before_the_start_is_refused(schedule):
    with pytest.raises(ValidationError) as refused:
        schedule(start=next_week_at(16), end=next_week_at(15))
    assert "Das Ende muss nach dem Beginn liegen." in str(refused.value)
    assert not Meeting.objects.exists()


def test_a_start_in_the_past_is_refused(schedule):
    with pytest.raises(ValidationError) as refused:
        schedule(start=timezone.now() - timedelta(days=1))
    assert "Der Beginn liegt in der Vergangenheit." in str(refused.value)
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_place_or_a_link(schedule):
    with pytest.raises(ValidationError) as refused:
        schedule(place="")
    assert "Bitte geben Sie einen Ort, eine Einrichtung oder einen Online-Link an." in str(refused.value)


def test_moving_a_meeting_into_the_past_or_before_its_start_changes_nothing(schedule, moderator):
    meeting = schedule()
    before = _state()
    for changes in ({"start": timezone.now() - timedelta(hours=3)}, {"end": meeting.start - timedelta(minutes=1)}):
        with pytest.raises(ValidationError):
            services.update_meeting(moderator, meeting, **changes)
    assert _state() == before


def test_a_reply_to_a_cancelled_meeting_is_refused_with_a_german_reason(schedule, moderator, member):
    meeting = schedule()
    services.cancel_meeting(moderator, meeting)
    meeting.refresh_from_db()

    with pytest.raises(PermissionDenied) as refused:
        services.reply_to_meeting(member, meeting, "yes")

    assert str(refused.value) == "Diese Sitzung wurde abgesagt; Rückmeldungen sind nicht mehr möglich."
    assert not MeetingReply.objects.exists()


def test_a_cancelled_meeting_can_be_neither_cancelled_again_nor_edited(schedule, moderator):
    meeting = schedule()
    services.cancel_meeting(moderator, meeting)
    before = _state()

    with pytest.raises(ValidationError, match="bereits abgesagt"):
        services.cancel_meeting(moderator, meeting)
    with pytest.raises(ValidationError, match="abgesagte Sitzung kann nicht mehr geändert werden"):
        services.update_meeting(moderator, meeting, title="Neu")
    assert _state() == before


def test_outsiders_cannot_schedule_reply_or_propose(schedule, closed_body, professional, other_moderator):
    meeting = schedule()
    before = _state()

    with pytest.raises(PermissionDenied, match="Sitzungen planen nur die Moderation"):
        services.schedule_meeting(
            other_moderator, closed_body, title="X", start=next_week_at(10), end=next_week_at(11), place="Rathaus"
        )
    with pytest.raises(PermissionDenied, match="nur für Mitglieder des Gremiums sichtbar"):
        services.reply_to_meeting(professional, meeting, "yes")
    with pytest.raises(PermissionDenied, match="Mitglieder des Gremiums vor"):
        services.propose_agenda_item(professional, meeting, "Mein Punkt")
    assert _state() == before


def test_agenda_proposals_close_at_the_deadline(schedule, member):
    meeting = schedule(agenda_deadline=timezone.now() + timedelta(days=1))
    services.propose_agenda_item(member, meeting, "Bericht aus der Kita")
    Meeting.objects.filter(pk=meeting.pk).update(agenda_deadline=timezone.now() - timedelta(minutes=1))
    meeting.refresh_from_db()

    with pytest.raises(PermissionDenied, match="Die Frist für Vorschläge zur Tagesordnung ist abgelaufen."):
        services.propose_agenda_item(member, meeting, "Zu spät")
    assert list(meeting.agenda_items.values_list("title", "is_proposal")) == [("Bericht aus der Kita", True)]


def test_the_schedule_form_shows_the_german_error_and_stores_nothing(closed_body, moderator, logged_in):
    browser = logged_in(moderator)
    response = browser.post(
        f"/sitzungen/gremien/{closed_body.slug}/planen/",
        {
            "title": "Sitzung",
            "start": "2020-01-07T16:00",
            "end": "2020-01-07T15:00",
            "place": "Rathaus",
            "visibility": "members",
            "reminder": "day_before",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in html
    assert not Meeting.objects.exists()


def test_replying_on_the_page_of_a_cancelled_meeting_shows_why(schedule, moderator, member, logged_in):
    meeting = schedule()
    services.cancel_meeting(moderator, meeting)

    response = logged_in(member).post(f"/sitzungen/{meeting.pk}/antworten/", {"answer": "yes"}, follow=True)

    assert response.status_code == 200
    assert "Diese Sitzung wurde abgesagt; Rückmeldungen sind nicht mehr möglich." in response.content.decode()
    assert not MeetingReply.objects.exists()
