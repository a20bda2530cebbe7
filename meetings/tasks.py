from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import mail
from .models import Meeting

REMINDER_WINDOW_HOURS = 24


@task()
def send_meeting_mails(meeting_id, kind, user_ids=None, guest_ids=None):
    """Invitations, updates, cancellations and "moved up" notes, outside the request."""
    return mail.send_meeting_mails(meeting_id, kind, user_ids, guest_ids)


@task()
def send_reminder(meeting_id):
    """The day-before reminder. Claiming `reminder_sent_at` first makes a second run (or worker) send nothing."""
    now = timezone.now()
    claimed = Meeting.objects.filter(
        pk=meeting_id,
        reminder_sent_at__isnull=True,
        is_cancelled=False,
        reminder=Meeting.Reminder.DAY_BEFORE,
        start__gt=now,
    ).update(reminder_sent_at=now)
    if not claimed:
        return 0
    return mail.send_meeting_mails(meeting_id, "reminder")


def due_reminders(now=None):
    now = now or timezone.now()
    return Meeting.objects.filter(
        reminder=Meeting.Reminder.DAY_BEFORE,
        is_cancelled=False,
        reminder_sent_at__isnull=True,
        start__gt=now,
        start__lte=now + timedelta(hours=REMINDER_WINDOW_HOURS),
    ).values_list("pk", flat=True)


def enqueue_due_reminders(now=None) -> int:
    ids = list(due_reminders(now))
    for meeting_id in ids:
        send_reminder.enqueue(meeting_id)
    return len(ids)
