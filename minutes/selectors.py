"""Reads of minutes for the body page, the meeting page and the lists."""

from django.db.models import QuerySet
from django.utils import timezone

from core.permissions import Viewer
from meetings.models import Meeting
from network.models import NetworkBody

from . import permissions
from .models import Minutes, Task


def minutes_of_meeting(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).select_related("meeting__body").first()


def minutes_of_body(body: NetworkBody, user: Viewer) -> QuerySet[Minutes]:
    return (
        permissions.visible_minutes(user)
        .filter(meeting__body=body)
        .select_related("meeting", "author")
        .order_by("-meeting__start")
    )


def public_summaries(body: NetworkBody, limit: int = 3) -> list[Minutes]:
    """Published minutes with a public summary: what everyone reads on the body's page."""
    return list(
        Minutes.objects.filter(meeting__body=body, status=Minutes.Status.PUBLISHED)
        .exclude(public_summary="")
        .select_related("meeting")
        .order_by("-meeting__start")[:limit]
    )


def open_tasks_of_body(body: NetworkBody) -> list[Task]:
    """Open tasks of all meetings of the body, the earliest due first (drafts' tasks are not agreed yet)."""
    return list(
        Task.objects.filter(minutes__meeting__body=body, done=False)
        .exclude(minutes__status=Minutes.Status.DRAFT)
        .select_related("owner", "minutes__meeting")
        .order_by("due_date", "pk")
    )


def overdue(task: Task) -> bool:
    return task.due_date < timezone.localdate()
