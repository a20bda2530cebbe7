"""Operations on meetings. Each checks the permission once, validates, saves, and sends its mails on commit."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Viewer
from documents.models import Document
from network import access
from network.freshness import renew_body_sections
from network.models import NetworkBody, Organisation, User

from . import permissions, recurrence, selectors, tasks
from .models import (
    BERLIN,
    AgendaItem,
    Attendance,
    CalendarFeedToken,
    Guest,
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


def _send(meeting_id: int, kind: str, user_ids: list[int] | None = None, guest_ids: list[int] | None = None) -> None:
    if guest_ids:
        transaction.on_commit(lambda: tasks.send_meeting_mails.enqueue(meeting_id, kind, user_ids, guest_ids))
    else:
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


class Scope:
    """Which dates of a series a change or cancellation reaches."""

    THIS = "this"
    FOLLOWING = "following"
    SERIES = "series"
    VALUES = (THIS, FOLLOWING, SERIES)


@transaction.atomic
def update_meeting(
    user: Viewer,
    meeting: Meeting,
    scope: str = Scope.THIS,
    *,
    documents: Iterable[Document] | None = None,
    **changes: Any,
) -> Meeting:
    """Change a meeting, one date of a series (which then becomes an exception of the series), this date and
    all following ones (the series is split in two, as calendar programs understand it), or the whole series.
    `documents` replaces this meeting's agenda papers; None leaves them as they are."""
    permissions.check_manage(user, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Eine abgesagte Sitzung kann nicht mehr geändert werden."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if scope not in Scope.VALUES:
        raise ValidationError({"scope": _("Bitte wählen Sie, welche Termine der Reihe sich ändern.")})
    if documents is not None:
        meeting.documents.set(_papers_of(meeting.body, documents))
    if scope != Scope.THIS and meeting.series_id:
        return _update_dates_of_series(user, meeting, scope, changes)
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
            meeting.is_exception = True
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


def _at_time_of(day_moment: datetime, new_start: datetime) -> datetime:
    """The local date of `day_moment` at the local wall-clock time of `new_start` (DST-correct)."""
    local_day = timezone.localtime(day_moment, BERLIN).date()
    return datetime.combine(local_day, timezone.localtime(new_start, BERLIN).time(), tzinfo=BERLIN)


def _refuse_overlaps(dates: list[tuple[datetime, datetime]]) -> None:
    ordered = sorted(dates)
    for (_start, end), (next_start, _next_end) in zip(ordered, ordered[1:], strict=False):
        if next_start < end:
            raise ValidationError(
                {
                    "start": _("Dieser Termin überschneidet sich mit einem anderen Termin derselben Reihe (%(date)s).")
                    % {"date": timezone.localtime(next_start, BERLIN).strftime("%d.%m.%Y %H:%M")}
                }
            )


def _series_date(meeting: Meeting) -> datetime:
    """Where the rule put a date of a series (its RECURRENCE-ID); every date of a series has one."""
    if meeting.recurrence_id is None:
        raise ValueError(f"meeting {meeting.pk} is no date of a series")
    return meeting.recurrence_id


def _update_dates_of_series(user: Viewer, meeting: Meeting, scope: str, changes: dict) -> Meeting:
    """ "diesen und alle folgenden" / "ganze Reihe". A series keeps one rule, so its dates can move only in their
    time of day (and length); moving one date to another day is "nur diesen Termin". Past dates keep their
    time: they become exceptions of the changed rule. "diesen und alle folgenden" ends the old series before
    this date (UNTIL) and starts a new one with its own UID — what calendar programs apply reliably."""
    now = timezone.now()
    series = MeetingSeries.objects.select_for_update().get(pk=meeting.series_id or 0)
    dates = list(Meeting.objects.select_for_update().filter(series=series).order_by("recurrence_id"))
    fields = {name: changes.get(name, getattr(meeting, name)) for name in EDITABLE_FIELDS}
    _validate({**fields, "start": fields["start"] if fields["start"] != meeting.start else None}, now=now)
    if fields["end"] <= fields["start"]:
        raise ValidationError({"end": _("Das Ende muss nach dem Beginn liegen.")})
    if timezone.localtime(fields["start"], BERLIN).date() != meeting.local_start.date():
        raise ValidationError(
            {
                "start": _(
                    "Für mehrere Termine einer Reihe lässt sich nur die Uhrzeit ändern. Einen Termin auf einen "
                    "anderen Tag verschieben Sie mit „nur diesen Termin“."
                )
            }
        )
    if scope == Scope.FOLLOWING and _series_date(dates[0]) < _series_date(meeting):
        reached = [d for d in dates if _series_date(d) >= _series_date(meeting)]
        kept = [d for d in dates if _series_date(d) < _series_date(meeting)]
    else:
        reached, kept = dates, []
    duration = fields["end"] - fields["start"]
    time_changed = (fields["start"], fields["end"]) != (meeting.start, meeting.end)
    calendar_changed = any(fields[name] != getattr(meeting, name) for name in CALENDAR_FIELDS)
    if not any(fields[name] != getattr(meeting, name) for name in EDITABLE_FIELDS):
        return meeting
    # An exception keeps its own date and time; every other date follows the new time of day.
    planned = {
        d.pk: (_at_time_of(_series_date(d), fields["start"]), _at_time_of(_series_date(d), fields["start"]) + duration)
        for d in reached
        if not d.is_exception and not d.is_cancelled and d.end > now
    }
    if time_changed:
        _refuse_overlaps([planned.get(d.pk, (d.start, d.end)) for d in dates if not d.is_cancelled])
    for d in reached:
        confirmed = confirmed_count(d)
        if d.end > now and not d.is_cancelled and fields["capacity"] is not None and fields["capacity"] < confirmed:
            raise ValidationError(
                {
                    "capacity": _("Es gibt am %(date)s bereits %(count)s Zusagen; weniger Plätze gehen nicht.")
                    % {"date": d.local_start.strftime("%d.%m.%Y"), "count": confirmed}
                }
            )
    target = series
    if kept:
        # The old series ends before this date; the dates from here on form a new one.
        original_rule = series.rrule
        rule = icalendar.vRecur.from_ical(series.rrule)
        rule["UNTIL"] = [(_series_date(meeting) - timedelta(seconds=1)).astimezone(UTC)]
        series.rrule = rule.to_ical().decode()
        series.sequence += 1
        series.save(update_fields=["rrule", "sequence"])
        target = MeetingSeries.objects.create(
            body=series.body,
            title=fields["title"],
            rrule=original_rule,
            first_start=fields["start"],
            first_end=fields["end"],
            created_by=user if user.is_authenticated else None,
        )
    target.title = fields["title"]
    target.first_start = _at_time_of(_series_date(reached[0]), fields["start"])
    target.first_end = target.first_start + duration
    if target.pk == series.pk and calendar_changed:
        target.sequence += 1
    target.save()
    for d in reached:
        if d.end <= now and calendar_changed and not d.is_exception:
            d.is_exception = True  # the past date stays as it was held
        if d.pk in planned and planned[d.pk] != (d.start, d.end):
            d.start, d.end = planned[d.pk]
            d.reminder_sent_at = None
        if d.end > now and not d.is_cancelled:
            for name in EDITABLE_FIELDS:
                if name not in ("start", "end", "agenda_deadline"):
                    setattr(d, name, fields[name])
            d.sequence += 1 if calendar_changed else 0
        d.recurrence_id = _at_time_of(_series_date(d), fields["start"])
        if target.pk != series.pk:
            d.series = target
            d.sequence = 0 if not d.is_exception else d.sequence
        d.save()
    for d in reached:
        moved_up = _fill_free_places(d)
        if moved_up:
            _send(d.pk, "moved_up", moved_up)
    if kept:
        _send(kept[-1].pk, "update")
        _send(meeting.pk, "invitation")
    elif calendar_changed:
        first_coming = next((d for d in reached if d.end > now and not d.is_cancelled), meeting)
        _send(first_coming.pk, "update")
    meeting.refresh_from_db()
    return meeting


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
def cancel_meeting(user: Viewer, meeting: Meeting, scope: str = Scope.THIS) -> Meeting:
    """Cancel a meeting or one date of a series (METHOD:CANCEL with RECURRENCE-ID), this and the following dates
    (they become EXDATEs of the series, sent as METHOD:REQUEST), or the whole series (METHOD:CANCEL of its UID)."""
    permissions.check_manage(user, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Diese Sitzung ist bereits abgesagt."))
    if meeting.is_past:
        raise ValidationError(_("Eine vergangene Sitzung kann nicht mehr abgesagt werden."))
    if scope not in Scope.VALUES:
        raise ValidationError(_("Bitte wählen Sie, welche Termine der Reihe abgesagt werden."))
    if scope != Scope.THIS and meeting.series_id:
        dates = Meeting.objects.select_for_update().filter(
            series_id=meeting.series_id, is_cancelled=False, end__gt=timezone.now()
        )
        if scope == Scope.FOLLOWING:
            dates = dates.filter(recurrence_id__gte=meeting.recurrence_id)
        dates.update(is_cancelled=True, sequence=F("sequence") + 1)
        # One UPDATE for the dates sends no signal: the body page lists them (network.freshness).
        renew_body_sections()
        MeetingSeries.objects.filter(pk=meeting.series_id).update(sequence=F("sequence") + 1)
        _send(meeting.pk, "series_cancellation" if scope == Scope.SERIES else "update")
        meeting.refresh_from_db()
        return meeting
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


# --- Membership follows the work --------------------------------------------------------------


def _upcoming_invitations(meetings: Iterable[Meeting]) -> list[Meeting]:
    """One meeting per invitation: a series is invited to once (its .ics carries every date)."""
    chosen, series_seen = [], set()
    for meeting in meetings:
        if meeting.series_id:
            if meeting.series_id in series_seen:
                continue
            series_seen.add(meeting.series_id)
        chosen.append(meeting)
    return chosen


def invite_to_upcoming_meetings(user: User, body: NetworkBody) -> list[Meeting]:
    """A new member (or standing guest) gets the invitations the others got before: the coming meetings of the
    body they may now see and have not answered yet."""
    meetings = (
        permissions.visible_meetings(user)
        .filter(body=body, start__gt=timezone.now(), is_cancelled=False)
        .exclude(replies__user=user)
        .order_by("start")
    )
    invited = _upcoming_invitations(meetings)
    for meeting in invited:
        _send(meeting.pk, "invitation", [user.pk])
    return invited


def release_meetings_no_longer_visible(user: User, body: NetworkBody, only: Meeting | None = None) -> list[int]:
    """After losing access to a body (left, removed, no longer a guest): answers to its coming meetings the
    person may no longer see are withdrawn, so that no place stays taken by someone who cannot come in, and a
    CANCEL takes those meetings out of the person's calendar. `only`: the one meeting a guest was invited to
    (the others of the body they never saw, so they hear nothing of them)."""
    access.forget_cached_roles(user)
    still_visible = permissions.visible_meetings(user).filter(body=body).values("pk")
    lost = Meeting.objects.filter(body=body, start__gt=timezone.now(), is_cancelled=False).exclude(pk__in=still_visible)
    if only is not None:
        for meeting in lost.filter(pk=only.pk):
            _send(meeting.pk, "withdrawn_date", [user.pk])
    else:
        for meeting in _upcoming_invitations(lost.order_by("start")):
            _send(meeting.pk, "withdrawn", [user.pk])
    replies = MeetingReply.objects.filter(user=user, meeting__body=body, meeting__end__gt=timezone.now()).exclude(
        meeting__in=still_visible
    )
    meeting_ids = sorted(set(replies.values_list("meeting_id", flat=True)))
    replies.delete()
    for meeting in Meeting.objects.filter(pk__in=meeting_ids).select_for_update():
        give_free_places_to_waiting(meeting)
    return meeting_ids


# --- Guests ---------------------------------------------------------------------------------------


@transaction.atomic
def invite_guest(
    actor: Viewer,
    meeting: Meeting,
    *,
    email: str,
    name: str = "",
    kind: str = Guest.Kind.GUEST,
    function: str = "",
    standing: bool = False,
) -> Guest:
    """Invite a guest with advisory status to this meeting, or (standing) to every meeting of its body."""
    permissions.check_manage_guests(actor, meeting)
    email, name, function = email.strip().lower(), name.strip()[:120], function.strip()[:120]
    if meeting.is_cancelled or meeting.is_past:
        raise ValidationError(
            _("Zu einer abgesagten oder vergangenen Sitzung können keine Gäste mehr eingeladen werden.")
        )
    if kind not in Guest.Kind.values:
        raise ValidationError({"kind": _("Unbekannte Art des Gastes.")})
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.is_active:
        raise ValidationError({"email": _("Das Konto zu dieser Adresse ist deaktiviert.")})
    if user is not None and access.is_member(user, meeting.body):
        raise ValidationError({"email": _("Diese Person ist Mitglied des Gremiums und ohnehin eingeladen.")})
    if standing and user is None:
        raise ValidationError(
            {
                "standing": _(
                    "Ständige Gäste brauchen ein Konto im Netzwerk. Laden Sie die Person zu dieser Sitzung ein "
                    "oder bitten Sie sie, sich zu registrieren."
                )
            }
        )
    if user is None and not name:
        raise ValidationError({"name": _("Bitte geben Sie den Namen des Gastes an (die Adresse hat kein Konto).")})
    already = Guest.objects.filter(Q(meeting=meeting) | Q(body_id=meeting.body_id))
    already = already.filter(user=user) if user is not None else already.filter(user__isnull=True, email=email)
    if already.exists():
        raise ValidationError({"email": _("Diese Person ist bereits als Gast eingeladen.")})
    guest = Guest.objects.create(
        meeting=None if standing else meeting,
        body=meeting.body if standing else None,
        user=user,
        email="" if user is not None else email,
        name=name,
        kind=kind,
        function=function,
        invited_by=actor if actor.is_authenticated else None,
    )
    if standing and user is not None:
        invite_to_upcoming_meetings(user, meeting.body)
    elif user is not None:
        _send(meeting.pk, "invitation", [user.pk])
    else:
        _send(meeting.pk, "invitation", [], [guest.pk])
    return guest


@transaction.atomic
def remove_guest(actor: Viewer, meeting: Meeting, guest: Guest) -> None:
    """End an invitation (a standing guest: for every meeting of the body); the person loses access at once."""
    permissions.check_manage_guests(actor, meeting)
    if guest.meeting_id != meeting.pk and guest.body_id != meeting.body_id:
        raise ValidationError(_("Dieser Gast gehört nicht zu dieser Sitzung."))
    guest.delete()
    if guest.user is not None:
        release_meetings_no_longer_visible(guest.user, meeting.body, None if guest.is_standing else guest.meeting)


@transaction.atomic
def reply_as_guest(guest: Guest, answer: str) -> Guest:
    """The answer of a guest without an account (from the signed link); advisory guests take no place."""
    meeting = guest.meeting
    if meeting is None:
        raise ValidationError(_("Diese Einladung gilt keiner einzelnen Sitzung."))
    if meeting.is_cancelled:
        raise ValidationError(_("Diese Sitzung wurde abgesagt; Rückmeldungen sind nicht mehr möglich."))
    if meeting.is_past:
        raise ValidationError(_("Diese Sitzung liegt in der Vergangenheit; Rückmeldungen sind nicht mehr möglich."))
    if answer not in MeetingReply.Answer.values:
        raise ValidationError(_("Bitte wählen Sie Zusage, vielleicht oder Absage."))
    guest.answer = answer
    guest.save(update_fields=["answer"])
    return guest
