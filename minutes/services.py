"""Operations on minutes. Each checks its permission once, validates, saves a revision, and mails on commit."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Viewer
from documents.models import Document
from forum import markdown
from forum import services as forum_services
from forum.textchecks import validate_post_text
from meetings.models import Attendance, Meeting, MeetingReply
from meetings.selectors import invited_people
from network import access
from network.models import User

from . import permissions
from .models import MAX_SUMMARY, MAX_TEXT, Decision, Minutes, Revision, Task

Status = Minutes.Status
MAX_DECISION = 1000
MAX_TASK = 500


def _clean(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("Bitte ohne Steuerzeichen.")})
    if len(text) > limit:
        raise ValidationError({field: _("Der Text ist zu lang (höchstens %(limit)d Zeichen).") % {"limit": limit}})
    if text:
        validate_post_text(text)
    return text


def attendance_candidates(meeting: Meeting) -> list[User]:
    """Who can be listed as present: the members and everyone who replied to the invitation."""
    return invited_people(meeting, include_declined=True)


def prefilled_present(meeting: Meeting) -> list[int]:
    """The attendance the moderation recorded, else the confirmed yes-replies."""
    recorded = list(Attendance.objects.filter(meeting=meeting, present=True).values_list("user_id", flat=True))
    if recorded:
        return recorded
    return list(
        MeetingReply.objects.filter(
            meeting=meeting, answer=MeetingReply.Answer.YES, waiting_position__isnull=True
        ).values_list("user_id", flat=True)
    )


def _snapshot(minutes: Minutes, user: Viewer, change: str) -> Revision:
    last = minutes.revisions.aggregate(last=Max("number"))["last"] or 0
    return Revision.objects.create(
        minutes=minutes,
        number=last + 1,
        author=user if user.is_authenticated else None,
        change=change[:200],
        status=minutes.status,
        text=minutes.text,
        public_summary=minutes.public_summary,
        present=sorted(person.public_name for person in minutes.present.all()),
        decisions=[decision.text for decision in minutes.decisions.all()],
        tasks=[
            {
                "what": task.what,
                "who": task.owner.public_name if task.owner else "",
                "due": task.due_date.isoformat(),
                "done": task.done,
            }
            for task in minutes.tasks.select_related("owner").order_by("position", "pk")
        ],
    )


def _locked(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__body").get(pk=minutes.pk)


@transaction.atomic
def start_minutes(user: User, meeting: Meeting, text: str = "") -> Minutes:
    """The minutes of a meeting, written by `user`; who was there comes from the attendance or the replies."""
    permissions.check_write(user, meeting)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("Für diese Sitzung gibt es schon ein Protokoll."))
    text = _clean(text, MAX_TEXT, "text")
    minutes = Minutes.objects.create(meeting=meeting, author=user, text=text, html=markdown.render(text))
    candidates = {person.pk for person in attendance_candidates(meeting)}
    minutes.present.set([pk for pk in prefilled_present(meeting) if pk in candidates])
    _snapshot(minutes, user, _("Protokoll angelegt"))
    return minutes


@transaction.atomic
def edit_minutes(
    user: Viewer,
    minutes: Minutes,
    *,
    text: str,
    public_summary: str = "",
    present_user_ids: Iterable[int | str] = (),
    documents: Iterable[Document] | None = None,
) -> Minutes:
    """`documents` replaces the attachments (only the body's own library); None leaves them as they are."""
    minutes = _locked(minutes)
    permissions.check_edit(user, minutes)
    if documents is not None:
        documents = list(documents)
        if any(document.body_id != minutes.meeting.body_id for document in documents):
            raise ValidationError({"documents": _("Anlagen können nur aus der Ablage dieses Gremiums kommen.")})
    text = _clean(text, MAX_TEXT, "text")
    summary = _clean(public_summary, MAX_SUMMARY, "public_summary")
    candidates = {person.pk for person in attendance_candidates(minutes.meeting)}
    try:
        present = {int(pk) for pk in present_user_ids}
    except (TypeError, ValueError):
        raise ValidationError({"present": _("Unbekannte Person in der Anwesenheit.")}) from None
    if present - candidates:
        raise ValidationError({"present": _("Anwesend sein können nur Mitglieder und Personen mit Rückmeldung.")})
    minutes.text, minutes.html = text, markdown.render(text)
    minutes.public_summary, minutes.public_summary_html = summary, markdown.render(summary) if summary else ""
    minutes.save()
    minutes.present.set(present)
    if documents is not None:
        minutes.documents.set(documents)
    _snapshot(minutes, user, _("Text und Anwesenheit bearbeitet"))
    return minutes


@transaction.atomic
def add_decision(user: Viewer, minutes: Minutes, text: str) -> Decision:
    minutes = _locked(minutes)
    permissions.check_edit(user, minutes)
    text = " ".join(_clean(text, MAX_DECISION, "text").split("\n")).strip()
    if not text:
        raise ValidationError({"text": _("Bitte schreiben Sie den Beschluss auf.")})
    last = minutes.decisions.aggregate(last=Max("position"))["last"] or 0
    decision = Decision.objects.create(minutes=minutes, position=last + 1, text=text)
    _snapshot(minutes, user, _("Beschluss hinzugefügt"))
    return decision


def _validate_owner(minutes: Minutes, owner: User | None) -> None:
    if owner is None or not owner.is_active or not access.is_member(owner, minutes.body):
        raise ValidationError({"owner": _("Zuständig sein kann nur ein Mitglied des Gremiums.")})


@transaction.atomic
def add_task(user: Viewer, minutes: Minutes, *, what: str, owner: User | None, due_date: date | None) -> Task:
    minutes = _locked(minutes)
    permissions.check_edit(user, minutes)
    what = " ".join(_clean(what, MAX_TASK, "what").split())
    errors: dict[str, Any] = {}
    if not what:
        errors["what"] = _("Bitte beschreiben Sie die Aufgabe.")
    try:
        _validate_owner(minutes, owner)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not isinstance(due_date, date):
        errors["due_date"] = _("Bitte geben Sie ein Datum an, bis wann die Aufgabe erledigt sein soll.")
    elif due_date < minutes.meeting.local_start.date():
        errors["due_date"] = _("Die Frist liegt vor der Sitzung. Bitte wählen Sie ein späteres Datum.")
    if errors or not isinstance(due_date, date):
        raise ValidationError(errors)
    last = minutes.tasks.aggregate(last=Max("position"))["last"] or 0
    task = Task.objects.create(minutes=minutes, position=last + 1, what=what, owner=owner, due_date=due_date)
    _snapshot(minutes, user, _("Aufgabe hinzugefügt"))
    return task


@transaction.atomic
def remove_item(user: Viewer, minutes: Minutes, *, decision_id: int | None = None, task_id: int | None = None) -> None:
    minutes = _locked(minutes)
    permissions.check_edit(user, minutes)
    if decision_id is not None:
        deleted, _rows = Decision.objects.filter(minutes=minutes, pk=decision_id).delete()
        change = _("Beschluss entfernt")
    else:
        deleted, _rows = Task.objects.filter(minutes=minutes, pk=task_id or 0).delete()
        change = _("Aufgabe entfernt")
    if not deleted:
        raise ValidationError(_("Diesen Eintrag gibt es in diesem Protokoll nicht."))
    _snapshot(minutes, user, change)


def _discussion_text(minutes: Minutes) -> str:
    return _(
        "Das Protokoll der Sitzung „%(title)s“ vom %(date)s steht zur Abstimmung: %(url)s\n\n"
        "Anmerkungen und Korrekturwünsche bitte als Antwort in diesem Thema."
    ) % {
        "title": minutes.meeting.title,
        "date": minutes.meeting.local_start.strftime("%d.%m.%Y"),
        "url": minutes.get_absolute_url(),
    }


@transaction.atomic
def change_status(user: User, minutes: Minutes, target: str) -> Minutes:
    """One step of the workflow. Putting minutes to the vote opens their comment thread in the body's forum."""
    minutes = _locked(minutes)
    permissions.check_transition(user, minutes, target)
    now = timezone.now()
    if target == Status.VOTING and minutes.discussion_id is None:
        board = forum_services.ensure_body_board(minutes.body)
        title = _("Protokoll zur Abstimmung: %(title)s (%(date)s)") % {
            "title": minutes.meeting.title,
            "date": minutes.meeting.local_start.strftime("%d.%m.%Y"),
        }
        minutes.discussion = forum_services.create_topic(user, board, title[:200], _discussion_text(minutes))
    if target == Status.APPROVED:
        minutes.approved_at, minutes.approved_by = now, user
    if target == Status.PUBLISHED:
        minutes.published_at = now
    minutes.status = target
    minutes.save()
    _snapshot(minutes, user, _("Stand: %(status)s") % {"status": minutes.get_status_display()})
    return minutes


@transaction.atomic
def set_task_done(user: Viewer, task: Task, done: bool) -> Task:
    """Ticking a task off is no change of the approved minutes: it is the work that follows them."""
    permissions.check_mark_task(user, task)
    task = Task.objects.select_for_update().select_related("minutes__meeting__body").get(pk=task.pk)
    task.done = done
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done", "done_at"])
    return task
