"""The day-before reminder: once, never for cancelled meetings, never to those who declined."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from meetings import services
from meetings.models import Meeting

from .conftest import text_of


def reminders(sink, person):
    return [mail for mail in sink.to(person.email) if "Erinnerung:" in str(mail["Subject"])]


def test_the_reminder_goes_out_once_and_not_to_those_who_declined(
    schedule, make_user, add_member, closed_body, member, smtp_sink
):
    declined = make_user("absage@example.org")
    add_member(declined, closed_body)
    meeting = schedule(start=timezone.now() + timedelta(hours=20))
    services.reply_to_meeting(declined, meeting, "no")

    call_command("enqueue_meeting_reminders")
    call_command("enqueue_meeting_reminders")

    (reminder,) = reminders(smtp_sink, member)
    assert "Zur Erinnerung: Morgen findet diese Sitzung statt." in text_of(reminder)
    assert reminders(smtp_sink, declined) == []
    assert Meeting.objects.get(pk=meeting.pk).reminder_sent_at is not None


def test_no_reminder_for_cancelled_meetings_later_meetings_or_meetings_without_one(
    schedule, moderator, member, smtp_sink
):
    cancelled = schedule(start=timezone.now() + timedelta(hours=20))
    services.cancel_meeting(moderator, cancelled)
    schedule(start=timezone.now() + timedelta(days=3))
    schedule(start=timezone.now() + timedelta(hours=10), reminder=Meeting.Reminder.NONE)

    call_command("enqueue_meeting_reminders")

    assert reminders(smtp_sink, member) == []


def test_a_moved_meeting_is_reminded_again_for_its_new_date(schedule, moderator, member, smtp_sink):
    meeting = schedule(start=timezone.now() + timedelta(hours=20))
    call_command("enqueue_meeting_reminders")
    new_start = timezone.now() + timedelta(days=2)
    services.update_meeting(moderator, meeting, start=new_start, end=new_start + timedelta(hours=1))
    call_command("enqueue_meeting_reminders")
    assert len(reminders(smtp_sink, member)) == 1

    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() + timedelta(hours=5), end=timezone.now() + timedelta(hours=6)
    )
    call_command("enqueue_meeting_reminders")
    assert len(reminders(smtp_sink, member)) == 2
