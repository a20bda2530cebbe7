from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import mail
from .models import Minutes, Task

# How many days before the due date the owner hears about an open task.
REMINDER_DAYS_BEFORE = 3


def due_task_reminders(today=None):
    """Open tasks of agreed minutes (voting drafts may still change) that fall due within the next days."""
    today = today or timezone.localdate()
    return Task.objects.filter(
        done=False,
        reminder_sent_at__isnull=True,
        owner__isnull=False,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=REMINDER_DAYS_BEFORE),
        minutes__status__in=[Minutes.Status.APPROVED, Minutes.Status.PUBLISHED],
    ).values_list("pk", flat=True)


@task()
def send_task_reminder(task_id):
    """Claiming `reminder_sent_at` first makes a second run (or a second worker) send nothing."""
    claimed = Task.objects.filter(pk=task_id, reminder_sent_at__isnull=True, done=False).update(
        reminder_sent_at=timezone.now()
    )
    if not claimed:
        return 0
    item = Task.objects.select_related("owner", "minutes__meeting__body").get(pk=task_id)
    if not mail.wants_mail(item.owner):
        return 0
    mail.build_task_reminder(item).send()
    return 1


def enqueue_due_task_reminders(today=None) -> int:
    ids = list(due_task_reminders(today))
    for task_id in ids:
        send_task_reminder.enqueue(task_id)
    return len(ids)
