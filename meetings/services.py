"""Operations on meetings. Each checks the permission once, validates, saves, and sends its mails on commit."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Viewer
from documents.models import Document
from network import access
from network.models import NetworkBody, Organisation, User

from . import permissions, recurrence, selectors, tasks
from .models import (
    AgendaItem,
    Attendance,
    CalendarFeedToken,
    Meeting,
    MeetingReply,
    MeetingSeries,
    Visibility,
    new_feed_token,
)

EDITABLE_FIELDS = (
    "title",
    "description",
    "start",
    "end",
    "place",
    "organisation",
    "online_url",
    "capacity",
    "visibility",
    "agenda_deadline",
    "reminder",
)
# Changes that calendar programs show: only these raise SEQUENCE and send an update.
CALENDAR_FIELDS = ("title", "description", "start", "end", "place", "organisation", "online_url")


def _validate(fields: dict, *, now: datetime) -> None:
    errors = {}
    start, end = fields.get("start"), fields.get("end")
    if start and end and end <= start:
        errors["end"] = _("Das Ende muss nach dem Beginn liegen.")
    if start and start < now:
        errors["start"] = _("Der Beginn liegt in der Vergangenheit. Bitte wählen Sie einen künftigen Termin.")
    if fields.get("capacity") == 0:
        errors["capacity"] = _("Die Zahl der Plätze muss mindestens 1 sein (oder leer für unbegrenzt).")
    deadline = fields.get("agenda_deadline")
    if deadline and start and deadline > start:
        errors["agenda_deadline"] = _("Die Frist für Vorschläge muss vor dem Beginn der Sitzung liegen.")
    if fields.get("visibility") not in (None, *Visibility.values):
        errors["visibility"] = _("Unbekannte Sichtbarkeit.")
    if not (fields.get("place") or fields.get("organisation") or fields.get("online_url")):
        errors["place"] = _("Bitte geben Sie einen Ort, eine Einrichtung oder einen Online-Link an.")
    if errors:
        raise ValidationError(errors)


def _send(meeting_id: int, kind: str, user_ids: list[int] | None = None) -> None:
    transaction.on_commit(lambda: tasks.send_meeting_mails.enqueue(meeting_id, kind, user_ids))


@transaction.atomic
def schedule_meeting(
    user: User,
    body: NetworkBody,
    *,
    title: str,
    start: datetime,
    end: datetime,
    place: str = "",
    organisation: Organisation | None = None,
    online_url: str = "",
    capacity: int | None = None,
    visibility: str = Visibility.MEMBERS,
    description: str = "",
    agenda: list[str] | None = None,
    agenda_deadline: datetime | None = None,
    reminder: str = Meeting.Reminder.DAY_BEFORE,
    repeat: str = recurrence.Repeat.NONE,
    repeat_until: date | None = None,
    documents: Iterable[Document] = (),
) -> Meeting:
    """One meeting, or every date of a series; returns the (first) meeting. Members get one invitation."""
    permissions.check_schedule(user, body)
    documents = _papers_of(body, documents)
    fields = {
        "title": title,
        "description": description,
        "start": start,
        "end": end,
        "place": place,
        "organisation": organisation,
        "online_url": online_url,
        "capacity": capacity,
        "visibility": visibility,
        "agenda_deadline": agenda_deadline,
        "reminder": reminder,
    }
    _validate(fields, now=timezone.now())
    if not repeat:
        meeting = Meeting.objects.create(body=body, created_by=user, **fields)
        _add_agenda(meeting, agenda or [], user)
        meeting.documents.set(documents)
        _send(meeting.pk, "invitation")
        return meeting
    if repeat_until is None or repeat_until < timezone.localdate(start):
        raise ValidationError(
            {"repeat_until": _("Bitte geben Sie an, bis wann sich die Sitzung wiederholt (nach dem ersten Termin).")}
        )
    rule = recurrence.build_rule(repeat, start, repeat_until)
    starts = recurrence.occurrences(rule, start)
    duration = end - start
    series = MeetingSeries.objects.create(
        body=body, title=title, rrule=rule, first_start=start, first_end=end, created_by=user
    )
    meetings = []
    for moment in starts:
        meeting = Meeting.objects.create(
            body=body,
            series=series,
            recurrence_id=moment,
            created_by=user,
            **{**fields, "start": moment, "end": moment + duration, "agenda_deadline": None},
        )
        _add_agenda(meeting, agenda or [], user)
        meeting.documents.set(documents)
        meetings.append(meeting)
    _send(meetings[0].pk, "invitation")
    return meetings[0]


def _papers_of(body: NetworkBody, documents: Iterable[Document]) -> list[Document]:
    documents = list(documents)
    if any(document.body_id != body.pk for document in documents):
        raise ValidationError({"documents": _("Unterlagen können nur aus der Ablage dieses Gremiums kommen.")})
    return documents


def _add_agenda(meeting: Meeting, titles: Iterable[str], user: User) -> None:
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=number, title=title.strip()[:200], proposed_by=user)
        for number, title in enumerate((t for t in titles if t.strip()), start=1)
    )


def confirmed_count(meeting: Meeting) -> int:
    return meeting.replies.filter(answer=MeetingReply.Answer.YES, waiting_position__isnull=True).count()


@transaction.atomic
def update_meeting(
    user: Viewer, meeting: Meeting, *, documents: Iterable[Document] | None = None, **changes: Any
) -> Meeting:
    """Change a meeting (or one date of a series, which then becomes an exception of the series).
    `documents` replaces its agenda papers; None leaves them as they are."""
    permissions.check_manage(user, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Eine abgesagte Sitzung kann nicht mehr geändert werden."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    fields = {name: changes.get(name, getattr(meeting, name)) for name in EDITABLE_FIELDS}
    # An unchanged start may lie in the past by now (a running meeting's place changes): only a new one must not.
    _validate({**fields, "start": fields["start"] if fields["start"] != meeting.start else None}, now=timezone.now())
    if fields["end"] <= fields["start"]:
        raise ValidationError({"end": _("Das Ende muss nach dem Beginn liegen.")})
    confirmed = confirmed_count(meeting)
    if fields["capacity"] is not None and fields["capacity"] < confirmed:
        raise ValidationError(
            {"capacity": _("Es gibt bereits %(count)s Zusagen; weniger Plätze gehen nicht.") % {"count": confirmed}}
        )
    if meeting.series_id and (fields["start"], fields["end"]) != (meeting.start, meeting.end):
        _refuse_overlap_in_series(meeting, fields["start"], fields["end"])
    calendar_changed = any(fields[name] != getattr(meeting, name) for name in CALENDAR_FIELDS)
    if fields["start"] != meeting.start:
        meeting.reminder_sent_at = None
    for name, value in fields.items():
        setattr(meeting, name, value)
    if calendar_changed:
        meeting.sequence += 1
        if meeting.series_id:
            MeetingSeries.objects.filter(pk=meeting.series_id).update(sequence=F("sequence") + 1)
    meeting.save()
    if documents is not None:
        meeting.documents.set(_papers_of(meeting.body, documents))
    moved_up = _fill_free_places(meeting)
    if calendar_changed:
        _send(meeting.pk, "update")
    if moved_up:
        _send(meeting.pk, "moved_up", moved_up)
    return meeting


def _refuse_overlap_in_series(meeting: Meeting, start: datetime, end: datetime) -> None:
    """A moved date must not land on another date of its own series (two entries for one meeting)."""
    other = (
        Meeting.objects.filter(series_id=meeting.series_id, is_cancelled=False, start__lt=end, end__gt=start)
        .exclude(pk=meeting.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "start": _("Dieser Termin überschneidet sich mit einem anderen Termin derselben Reihe (%(date)s).")
                % {"date": other.local_start.strftime("%d.%m.%Y %H:%M")}
            }
        )


def _fill_free_places(meeting: Meeting) -> list[int]:
    """Move people up from the waiting list while there are places; returns who moved up."""
    waiting = list(
        meeting.replies.filter(answer=MeetingReply.Answer.YES, waiting_position__isnull=False).order_by(
            "waiting_position", "replied_at"
        )
    )
    if meeting.capacity is None:
        free = len(waiting)
    else:
        free = max(0, meeting.capacity - confirmed_count(meeting))
    moved = waiting[:free]
    if moved:
        MeetingReply.objects.filter(pk__in=[reply.pk for reply in moved]).update(waiting_position=None)
    for position, reply in enumerate(waiting[free:], start=1):
        if reply.waiting_position != position:
            MeetingReply.objects.filter(pk=reply.pk).update(waiting_position=position)
    return [reply.user_id for reply in moved]


@transaction.atomic
def cancel_meeting(user: Viewer, meeting: Meeting) -> Meeting:
    """Cancel a meeting (or one date of a series): everyone invited gets METHOD:CANCEL."""
    permissions.check_manage(user, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Diese Sitzung ist bereits abgesagt."))
    if meeting.is_past:
        raise ValidationError(_("Eine vergangene Sitzung kann nicht mehr abgesagt werden."))
    meeting.is_cancelled = True
    meeting.sequence += 1
    meeting.save(update_fields=["is_cancelled", "sequence", "updated_at"])
    if meeting.series_id:
        MeetingSeries.objects.filter(pk=meeting.series_id).update(sequence=F("sequence") + 1)
    _send(meeting.pk, "cancellation")
    return meeting


@transaction.atomic
def reply_to_meeting(user: User, meeting: Meeting, answer: str, comment: str = "") -> MeetingReply:
    """Zusage / vielleicht / Absage. A yes beyond the capacity waits; a place set free goes to the next in line."""
    permissions.check_reply(user, meeting)
    if answer not in MeetingReply.Answer.values:
        raise ValidationError(_("Bitte wählen Sie Zusage, vielleicht oder Absage."))
    # The row lock makes two last-place replies at the same moment wait for each other.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reply = MeetingReply.objects.filter(meeting=meeting, user=user).first()
    was_yes = reply is not None and reply.answer == MeetingReply.Answer.YES
    if reply is None:
        reply = MeetingReply(meeting=meeting, user=user)
    reply.comment = comment.strip()[:300]
    if answer == MeetingReply.Answer.YES and not was_yes:
        full = meeting.capacity is not None and confirmed_count(meeting) >= meeting.capacity
        if full:
            last = meeting.replies.aggregate(last=Max("waiting_position"))["last"] or 0
            reply.waiting_position = last + 1
        else:
            reply.waiting_position = None
        reply.replied_at = timezone.now()
    elif answer != MeetingReply.Answer.YES:
        reply.waiting_position = None
        reply.replied_at = timezone.now()
    reply.answer = answer
    reply.save()
    if was_yes and answer != MeetingReply.Answer.YES:
        moved_up = _fill_free_places(meeting)
        if moved_up:
            _send(meeting.pk, "moved_up", moved_up)
    return reply


@transaction.atomic
def record_attendance(user: User, meeting: Meeting, present_user_ids: Iterable[int | str]) -> list[Attendance]:
    """Who was there: one row per invited person or replier, present or not."""
    permissions.check_manage(user, meeting)
    if meeting.start > timezone.now():
        raise ValidationError(_("Die Anwesenheit kann erst ab Beginn der Sitzung erfasst werden."))
    if meeting.is_cancelled:
        raise ValidationError(_("Für eine abgesagte Sitzung gibt es keine Anwesenheit."))
    people = {person.pk for person in attendance_candidates(meeting)}
    present = {int(pk) for pk in present_user_ids}
    if present - people:
        raise ValidationError(_("Anwesend sein können nur Mitglieder und Personen mit Rückmeldung."))
    rows = []
    for person_id in sorted(people):
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, user_id=person_id, defaults={"present": person_id in present, "recorded_by": user}
        )
        rows.append(row)
    return rows


def attendance_candidates(meeting: Meeting) -> list[User]:
    return selectors.invited_people(meeting, include_declined=True)


@transaction.atomic
def propose_agenda_item(user: User, meeting: Meeting, title: str, description: str = "") -> AgendaItem:
    permissions.check_propose_agenda_item(user, meeting)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Bitte geben Sie einen Titel für den Punkt an.")})
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    return AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title[:200],
        description=description.strip()[:2000],
        proposed_by=user,
        is_proposal=not access.can_moderate_body(user, meeting.body),
    )


def renew_feed_token(user: User) -> CalendarFeedToken:
    """A new secret for the personal calendar feed: every address given out before stops working."""
    feed, _created = CalendarFeedToken.objects.get_or_create(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "created_at"])
    return feed


def give_free_places_to_waiting(meeting: Meeting) -> list[int]:
    """After someone's place went away without a reply (account deleted): the next in line moves up."""
    moved_up = _fill_free_places(meeting)
    if moved_up:
        _send(meeting.pk, "moved_up", moved_up)
    return moved_up
