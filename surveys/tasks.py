from django_tasks import task

from . import feedback_requests


@task()
def send_due_feedback_requests() -> list[int]:
    """The hourly run of `manage.py send_due_feedback_requests`, for a worker-driven schedule."""
    return list(feedback_requests.send_due_feedback_requests())
