"""A body of 200 members is invited in batches, one SMTP connection per batch, and everyone gets one mail."""

import random
from collections import Counter

import pytest

from meetings import tasks
from meetings.mail import MailsInterrupted
from network.models import Membership, User

from .conftest import calendar_of

MEMBERS = 200

# 200 mails through MJML and SMTP per test.
pytestmark = pytest.mark.slow


@pytest.fixture
def large_body(closed_body, member, moderator):
    """The closed body with 200 members in all (the moderator and Mia Mitglied among them), in random order."""
    numbers = list(range(MEMBERS - 2))
    random.shuffle(numbers)
    people = User.objects.bulk_create(
        [
            User(
                email=f"mitglied{number:03d}@example.org",
                display_name=f"Mitglied {number:03d}",
                approval=User.Approval.APPROVED,
            )
            for number in numbers
        ]
    )
    Membership.objects.bulk_create([Membership(user=person, body=closed_body) for person in people])
    return closed_body


def addresses(smtp_sink):
    return Counter(address.lower() for entry in smtp_sink.messages for address in entry.rcpt_tos)


def test_a_200_member_invitation_opens_one_connection_per_batch_and_reaches_everyone_once(
    settings, large_body, schedule, smtp_sink
):
    settings.MEETINGS_MAIL_BATCH_SIZE = 50
    meeting = schedule(title="Jahresplanung 2027", body=large_body)

    received = addresses(smtp_sink)
    members = {email.lower() for email in large_body.memberships.values_list("user__email", flat=True)}
    assert len(members) == MEMBERS
    assert set(received) == members and set(received.values()) == {1}
    assert len(smtp_sink.connections()) == MEMBERS // 50
    calendar, _part = calendar_of(smtp_sink.to("mitglied007@example.org")[0])
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == meeting.ical_uid


def test_a_broken_off_batch_is_continued_later_and_nobody_gets_the_invitation_twice(
    settings, large_body, schedule, smtp_sink
):
    settings.MEETINGS_MAIL_BATCH_SIZE = 50
    settings.MEETINGS_MAIL_RETRY_DELAYS = (0,)
    smtp_sink.break_off_after = 73  # in the middle of the second batch

    schedule(title="Jahresplanung 2027", body=large_body)

    received = addresses(smtp_sink)
    assert len(received) == MEMBERS and set(received.values()) == {1}
    # Two batches, the second broken off after 23; the rest (127 people) in three batches of the retry.
    assert len(smtp_sink.connections()) == 2 + 3


def test_when_the_retries_are_used_up_the_task_says_how_many_are_left(settings, large_body, schedule, smtp_sink):
    settings.MEETINGS_MAIL_BATCH_SIZE = 50
    settings.MEETINGS_MAIL_RETRY_DELAYS = ()
    meeting = schedule(title="Jahresplanung 2027", body=large_body)
    smtp_sink.messages.clear()
    smtp_sink.break_off_after = 10

    with pytest.raises(MailsInterrupted) as interrupted:
        tasks.send_meeting_mails.call(meeting.pk, "update")

    assert len(interrupted.value.remaining) == MEMBERS - 10 and interrupted.value.sent == 10
    assert len(addresses(smtp_sink)) == 10
