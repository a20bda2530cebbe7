from django.utils import timezone
from django_tasks import task

from . import notifications


def _schedule_mails(created):
    """One mail per person and topic at the end of the batch window; a backend that cannot wait
    (the immediate one of the tests, unless they swap it) sends at once."""
    window = notifications.batch_window()
    for recipient_id, topic_id in notifications.mails_to_schedule(created):
        mail_task = send_topic_mail
        if window and mail_task.get_backend().supports_defer:
            mail_task = mail_task.using(run_after=timezone.now() + window)
        mail_task.enqueue(recipient_id, topic_id)


@task()
def notify_about_post(post_id):
    """Create notifications for a new post, outside the request, and schedule their mails."""
    _schedule_mails(notifications.fan_out(post_id))


@task()
def notify_accepted_answer(post_id):
    _schedule_mails(notifications.notify_accepted(post_id))


@task()
def send_topic_mail(recipient_id, topic_id):
    return notifications.send_topic_mail(recipient_id, topic_id)


@task()
def send_forum_digests(period):
    return notifications.send_digests(period)
