from django_tasks import task

from . import notifications


@task()
def notify_about_post(post_id):
    """Create notifications and send immediate mails for a new post, outside the request."""
    notifications.fan_out(post_id)


@task()
def notify_accepted_answer(post_id):
    notifications.notify_accepted(post_id)


@task()
def send_forum_digests(period):
    return notifications.send_digests(period)
