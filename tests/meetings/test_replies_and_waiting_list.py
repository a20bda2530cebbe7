"""Zusage, vielleicht, Absage; a full meeting puts a yes on the waiting list, a decline moves the next one up."""

import pytest
from django.core.exceptions import ValidationError

from meetings import services
from meetings.models import MeetingReply

from .conftest import text_of


@pytest.fixture
def members(make_user, add_member, closed_body):
    people = [make_user(display_name=f"Mitglied {n}") for n in range(4)]
    for person in people:
        add_member(person, closed_body)
    return people


def answers(meeting):
    return {
        reply.user.display_name: (reply.answer, reply.waiting_position)
        for reply in MeetingReply.objects.filter(meeting=meeting).select_related("user")
    }


def test_a_yes_beyond_the_capacity_waits_and_moves_up_when_someone_declines(
    schedule, members, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = schedule(capacity=2)
    _first, second, third, fourth = members
    for person in members:
        services.reply_to_meeting(person, meeting, "yes")

    assert answers(meeting) == {
        "Mitglied 0": ("yes", None),
        "Mitglied 1": ("yes", None),
        "Mitglied 2": ("yes", 1),
        "Mitglied 3": ("yes", 2),
    }

    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_meeting(second, meeting, "no")

    assert answers(meeting) == {
        "Mitglied 0": ("yes", None),
        "Mitglied 1": ("no", None),
        "Mitglied 2": ("yes", None),
        "Mitglied 3": ("yes", 1),
    }
    (note,) = [mail for mail in smtp_sink.to(third.email) if "nachgerückt" in str(mail["Subject"])]
    assert "Sie sind von der Warteliste nachgerückt" in text_of(note)
    assert not [mail for mail in smtp_sink.to(fourth.email) if "nachgerückt" in str(mail["Subject"])]


def test_maybe_and_changing_ones_mind_keep_one_reply_per_person(schedule, member):
    meeting = schedule()
    services.reply_to_meeting(member, meeting, "maybe", "Komme evtl. später")
    services.reply_to_meeting(member, meeting, "yes")

    (reply,) = MeetingReply.objects.filter(meeting=meeting)
    assert (reply.answer, reply.comment) == ("yes", "")


def test_more_places_move_waiting_people_up(schedule, moderator, members):
    meeting = schedule(capacity=1)
    for person in members[:3]:
        services.reply_to_meeting(person, meeting, "yes")

    services.update_meeting(moderator, meeting, capacity=2)

    assert answers(meeting) == {"Mitglied 0": ("yes", None), "Mitglied 1": ("yes", None), "Mitglied 2": ("yes", 1)}


def test_the_capacity_cannot_drop_below_the_current_yes_replies(schedule, moderator, members):
    meeting = schedule(capacity=5)
    for person in members[:3]:
        services.reply_to_meeting(person, meeting, "yes")

    with pytest.raises(ValidationError) as refused:
        services.update_meeting(moderator, meeting, capacity=2)

    assert "Es gibt bereits 3 Zusagen; weniger Plätze gehen nicht." in str(refused.value)
    meeting.refresh_from_db()
    assert meeting.capacity == 5


def test_a_reply_from_the_meeting_page(schedule, member, logged_in):
    meeting = schedule()
    browser = logged_in(member)

    response = browser.post(
        f"/sitzungen/{meeting.pk}/antworten/", {"answer": "maybe", "comment": "Bin unsicher"}, follow=True
    )

    assert "Ihre Rückmeldung „vielleicht“ ist gespeichert." in response.content.decode()
    assert MeetingReply.objects.get(meeting=meeting, user=member).answer == "maybe"
