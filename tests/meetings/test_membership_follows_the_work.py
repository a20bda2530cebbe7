"""Membership follows the work: joining a body brings its board and its meetings, losing access takes both away at once."""

from datetime import timedelta

import pytest
from django.urls import reverse

from forum.models import BoardSubscription, WatchLevel
from meetings import permissions, services
from meetings.models import CalendarFeedToken, MeetingReply, Visibility
from network import services as network_services
from network.models import Membership, User

from .conftest import calendar_of, next_week_at


@pytest.fixture
def open_meeting(schedule, other_moderator, open_body):
    """A members-only meeting of the open focus group (which any professional may join at once)."""
    return schedule(by=other_moderator, body=open_body, title="Fokusgruppe Schule", visibility=Visibility.MEMBERS)


def _feed_uids(client, user):
    token = CalendarFeedToken.objects.get_or_create(user=user)[0].token
    response = client.get(reverse("meetings:feed_personal", args=[token]))
    return response, response.content.decode()


def test_joining_with_the_body_pages_button_watches_its_board_and_brings_the_invitation_to_its_coming_meeting(
    open_meeting, open_body, professional, smtp_sink, django_capture_on_commit_callbacks, client
):
    assert not smtp_sink.to(professional.email)
    client.force_login(professional)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:body_join", args=[open_body.slug]))

    subscription = BoardSubscription.objects.get(user=professional, board=open_body.forum_board)
    assert subscription.level == WatchLevel.WATCHING
    (mail,) = smtp_sink.to(professional.email)
    assert "Einladung: Fokusgruppe Schule" in str(mail["Subject"])
    calendar, part = calendar_of(mail)
    assert part.get_param("method") == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]) == open_meeting.ical_uid


def test_a_newcomer_who_wants_no_mails_gets_the_board_and_the_meeting_but_no_mail(
    open_meeting, open_body, professional, smtp_sink, django_capture_on_commit_callbacks, client
):
    professional.notify_by_email = User.Delivery.NEVER
    professional.save(update_fields=["notify_by_email"])

    with django_capture_on_commit_callbacks(execute=True):
        network_services.request_to_join(professional, open_body)

    assert not smtp_sink.to(professional.email)
    assert BoardSubscription.objects.filter(user=professional, board=open_body.forum_board).exists()
    client.force_login(professional)
    assert "Fokusgruppe Schule" in client.get(open_meeting.get_absolute_url()).content.decode()


def test_a_muted_board_stays_muted_when_joining(open_body, professional):
    BoardSubscription.objects.create(user=professional, board=open_body.forum_board, level=WatchLevel.MUTED)

    network_services.request_to_join(professional, open_body)

    assert BoardSubscription.objects.get(user=professional, board=open_body.forum_board).level == WatchLevel.MUTED


def test_leaving_ends_the_board_the_feed_entry_the_page_and_gives_the_place_to_the_next_in_line(
    schedule, closed_body, member, moderator, make_user, add_member, client, django_capture_on_commit_callbacks
):
    meeting = schedule(title="Klausur der Lenkungsrunde", capacity=1)
    BoardSubscription.objects.create(user=member, board=closed_body.forum_board)
    waiting = make_user(display_name="Wanda Warteliste")
    add_member(waiting, closed_body)
    services.reply_to_meeting(member, meeting, MeetingReply.Answer.YES)
    assert services.reply_to_meeting(waiting, meeting, MeetingReply.Answer.YES).waiting_position == 1
    response, before = _feed_uids(client, member)
    assert meeting.ical_uid in before

    with django_capture_on_commit_callbacks(execute=True):
        network_services.leave_body(member, closed_body)

    assert not BoardSubscription.objects.filter(user=member, board=closed_body.forum_board).exists()
    assert not MeetingReply.objects.filter(user=member, meeting=meeting).exists()
    assert MeetingReply.objects.get(user=waiting, meeting=meeting).is_confirmed
    response, after = _feed_uids(client, member)
    assert response.status_code == 200 and "BEGIN:VCALENDAR" in after
    assert meeting.ical_uid not in after
    client.force_login(member)
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 403
    assert "nur für Mitglieder des Gremiums sichtbar" in page.content.decode()


def test_a_member_removed_by_the_moderation_loses_the_meeting_at_once_and_its_calendar_entry(
    schedule, closed_body, member, moderator, client, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = schedule(title="Haushaltsklausur")

    with django_capture_on_commit_callbacks(execute=True):
        network_services.remove_member(moderator, Membership.objects.get(user=member, body=closed_body))

    mail = smtp_sink.to(member.email)[-1]
    assert "Nicht mehr eingeladen: Haushaltsklausur" in " ".join(str(mail["Subject"]).split())
    calendar, part = calendar_of(mail)
    (event,) = calendar.events
    assert calendar["METHOD"] == "CANCEL" and part.get_param("method") == "CANCEL"
    assert str(event["UID"]) == meeting.ical_uid and event["STATUS"] == "CANCELLED"

    _response, feed = _feed_uids(client, member)
    assert meeting.ical_uid not in feed
    client.force_login(member)
    assert client.get(reverse("meetings:ics", args=[meeting.pk])).status_code == 403
    assert "Haushaltsklausur" not in client.get(reverse("meetings:calendar")).content.decode()


def test_a_deactivated_account_loses_its_feed_and_every_private_meeting(schedule, member, client):
    meeting = schedule(title="Haushaltsklausur")
    token = CalendarFeedToken.objects.create(user=member).token
    assert meeting.ical_uid in client.get(reverse("meetings:feed_personal", args=[token])).content.decode()

    member.is_active = False
    member.save(update_fields=["is_active"])

    assert client.get(reverse("meetings:feed_personal", args=[token])).status_code == 404
    assert not permissions.can_see(member, meeting)
    assert not permissions.visible_meetings(member).filter(pk=meeting.pk).exists()


def test_a_moderator_who_joins_another_body_is_invited_to_its_series_once(
    schedule, other_moderator, open_body, moderator, smtp_sink, django_capture_on_commit_callbacks
):
    start = next_week_at(10)
    schedule(
        by=other_moderator,
        body=open_body,
        title="Jour fixe",
        start=start,
        repeat="weekly",
        repeat_until=(start + timedelta(days=21)).date(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        network_services.request_to_join(moderator, open_body)

    (mail,) = smtp_sink.to(moderator.email)
    calendar, _part = calendar_of(mail)
    (master,) = calendar.events
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]
