import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import mail
from .models import Meeting

logger = logging.getLogger(__name__)

REMINDER_WINDOW_HOURS = 24


def retry_delays() -> tuple[int, ...]:
    return tuple(getattr(settings, "MEETINGS_MAIL_RETRY_DELAYS", (60, 300, 900, 3600)))


@task()
def send_meeting_mails(meeting_id, kind, user_ids=None, guest_ids=None, attempt=1):
    """Invitations, updates, cancellations, reminders and "moved up" notes, outside the request.

    Retries: when a batch breaks off (mail server unreachable, connection lost, temporary refusal), a new
    task sends to the people not yet sent to, after the next of MEETINGS_MAIL_RETRY_DELAYS; when the
    delays are used up the task fails and says how many are left. Nobody already sent to gets the mail
    again, except possibly the one mail in flight when the connection broke (core.smtp.BatchInterrupted);
    its calendar entry has the same UID, so calendar programs keep one entry.
    """
    try:
        return mail.send_meeting_mails(meeting_id, kind, user_ids, guest_ids)
    except mail.MailsInterrupted as interrupted:
        delays = retry_delays()
        if attempt > len(delays):
            logger.error(
                "Meeting %s: %s %s mails not sent after %s attempts.",
                meeting_id,
                len(interrupted.remaining) + len(interrupted.remaining_guests),
                kind,
                attempt,
            )
            raise
        retry = send_meeting_mails
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + timedelta(seconds=delays[attempt - 1]))
        logger.warning(
            "Meeting %s: %s %s mails wait for a new attempt.",
            meeting_id,
            len(interrupted.remaining) + len(interrupted.remaining_guests),
            kind,
        )
        retry.enqueue(meeting_id, kind, interrupted.remaining, interrupted.remaining_guests, attempt + 1)
        return interrupted.sent


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
    # Through the task body, so that the people a broken-off batch left out get their reminder later.
    return send_meeting_mails.call(meeting_id, "reminder")


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
