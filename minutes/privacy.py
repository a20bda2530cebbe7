"""The minutes' part of a person's data download and account deletion.

Minutes are the body's record and stay. Who wrote them and who owns a task is set to nobody by the
foreign keys; the attendance list loses the person with the account. The versions keep names as text,
so the person's name is replaced there by "gelöschte Person", as the forum does for posts.
"""

from django.db.models import Exists, OuterRef, Q

from core.privacy import register_part

from .models import Minutes, Revision, Task

GONE = "gelöschte Person"


def export_personal_data(user) -> dict:
    # Two queries whatever the amount: the download's cost must not grow with the data (tests/site).
    minutes = (
        Minutes.objects.filter(Q(author=user) | Q(present=user))
        .annotate(was_present=Exists(Minutes.present.through.objects.filter(minutes=OuterRef("pk"), user=user)))
        .select_related("meeting__body")
        .distinct()
        .order_by("meeting__start")
    )
    tasks = Task.objects.filter(owner=user).select_related("minutes__meeting").order_by("due_date")
    minutes = list(minutes)
    return {
        "minutes_written": [
            {"meeting": item.meeting.title, "body": item.meeting.body.name, "status": item.get_status_display()}
            for item in minutes
            if item.author_id == user.pk
        ],
        "tasks": [
            {"what": task.what, "meeting": task.minutes.meeting.title, "due_date": task.due_date, "done": task.done}
            for task in tasks
        ],
        "listed_as_present": [
            {"meeting": item.meeting.title, "start": item.meeting.start} for item in minutes if item.was_present
        ],
    }


def erase_personal_data(user) -> None:
    name = user.public_name
    # Parts run before the account row goes: the attendance rows and task owners still point to the person.
    revisions = Revision.objects.filter(
        Q(minutes__present=user) | Q(minutes__tasks__owner=user) | Q(minutes__author=user)
    ).distinct()
    for revision in revisions.iterator():
        present = [GONE if entry == name else entry for entry in revision.present]
        tasks = [{**task, "who": GONE} if task.get("who") == name else task for task in revision.tasks]
        if present != revision.present or tasks != revision.tasks:
            Revision.objects.filter(pk=revision.pk).update(present=present, tasks=tasks)


register_part(
    "minutes",
    export=lambda subject: export_personal_data(subject.user),
    erase=lambda subject: erase_personal_data(subject.user),
)
