"""Who may write, read, move and search minutes: the one answer views, the body page and the search ask.

The body's moderation (and the coordination, through `network.access.can_moderate_body`) runs the
workflow; the author edits while the minutes are open; members read them from "zur Abstimmung" on.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed
from meetings.models import Meeting
from network import access
from network.models import NetworkBody

from .models import Minutes, Task

Status = Minutes.Status

FROZEN_MESSAGE = _("Das Protokoll ist freigegeben und kann nicht mehr geändert werden.")

# (from, to): may the author do it too (True) or only the moderation (False)?
# Keyed by the stored values (str), which is what a Status member compares equal to.
TRANSITIONS: dict[tuple[str, str], bool] = {
    (Status.DRAFT, Status.VOTING): True,
    (Status.VOTING, Status.DRAFT): False,
    (Status.VOTING, Status.APPROVED): False,
    (Status.APPROVED, Status.PUBLISHED): False,
}


def _is_inside(user: Viewer, body: NetworkBody) -> bool:
    return access.can_moderate_body(user, body) or (access.is_professional(user) and access.is_member(user, body))


def _is_author(user: Viewer, minutes: Minutes) -> bool:
    return user.is_authenticated and minutes.author_id == user.pk


def check_write(user: Viewer, meeting: Meeting) -> None:
    """Start the minutes of a meeting: a member of the body (the Protokollführung) or its moderation."""
    if not _is_inside(user, meeting.body):
        raise PermissionDenied(_("Protokolle schreiben Mitglieder und Moderation des Gremiums."))
    if meeting.is_cancelled:
        raise PermissionDenied(_("Für eine abgesagte Sitzung gibt es kein Protokoll."))
    if meeting.start > timezone.now():
        raise PermissionDenied(_("Das Protokoll kann erst ab Beginn der Sitzung geschrieben werden."))


def check_see(user: Viewer, minutes: Minutes) -> None:
    """The full minutes: members of the body once they are put to the vote; a draft only its author and the moderation."""
    if access.can_moderate_body(user, minutes.body):
        return
    if not _is_inside(user, minutes.body):
        raise PermissionDenied(_("Protokolle sind nur für Mitglieder des Gremiums sichtbar."))
    if minutes.status == Status.DRAFT and _is_author(user, minutes):
        return
    if minutes.status == Status.DRAFT:
        raise PermissionDenied(_("Dieses Protokoll ist noch ein Entwurf; Mitglieder lesen es ab der Abstimmung."))


def check_edit(user: Viewer, minutes: Minutes) -> None:
    may_edit = access.can_moderate_body(user, minutes.body) or (
        _is_author(user, minutes) and _is_inside(user, minutes.body)
    )
    if not may_edit:
        raise PermissionDenied(_("Das Protokoll bearbeiten die Protokollführung und die Moderation des Gremiums."))
    if minutes.is_frozen:
        raise PermissionDenied(FROZEN_MESSAGE)


def check_transition(user: Viewer, minutes: Minutes, target: str) -> None:
    """Only the steps of the workflow, one at a time, by the people allowed to take them."""
    check_see(user, minutes)
    step = (minutes.status, target)
    if step not in TRANSITIONS:
        current = minutes.get_status_display()
        wanted = Status(target).label if target in Status.values else target
        raise PermissionDenied(
            _(
                "Vom Stand „%(current)s“ geht es nicht zu „%(target)s“. "
                "Der Ablauf ist: Entwurf → zur Abstimmung → freigegeben → veröffentlicht."
            )
            % {"current": current, "target": wanted}
        )
    if access.can_moderate_body(user, minutes.body):
        return
    if TRANSITIONS[step] and _is_author(user, minutes) and _is_inside(user, minutes.body):
        return
    if target == Status.VOTING:
        raise PermissionDenied(_("Zur Abstimmung stellen die Protokollführung und die Moderation des Gremiums."))
    raise PermissionDenied(_("Diesen Schritt geht nur die Moderation des Gremiums."))


def check_mark_task(user: Viewer, task: Task) -> None:
    """Tick a task off (or on again): the person it belongs to or the moderation, also after approval."""
    minutes = task.minutes
    if access.can_moderate_body(user, minutes.body):
        return
    if user.is_authenticated and task.owner_id == user.pk and _is_inside(user, minutes.body):
        return
    raise PermissionDenied(_("Eine Aufgabe haken nur die zuständige Person und die Moderation des Gremiums ab."))


def check_see_body_minutes(user: Viewer, body: NetworkBody) -> None:
    if not _is_inside(user, body):
        raise PermissionDenied(_("Die Protokolle eines Gremiums sehen nur seine Mitglieder."))


def can_write(user: Viewer, meeting: Meeting) -> bool:
    return allowed(check_write, user, meeting)


def can_see(user: Viewer, minutes: Minutes) -> bool:
    return allowed(check_see, user, minutes)


def can_edit(user: Viewer, minutes: Minutes) -> bool:
    return allowed(check_edit, user, minutes)


def can_transition(user: Viewer, minutes: Minutes, target: str) -> bool:
    return allowed(check_transition, user, minutes, target)


def can_mark_task(user: Viewer, task: Task) -> bool:
    return allowed(check_mark_task, user, task)


def can_see_body_minutes(user: Viewer, body: NetworkBody) -> bool:
    return allowed(check_see_body_minutes, user, body)


def visible_minutes(user: Viewer) -> QuerySet[Minutes]:
    """The rule of `check_see` as a query, for lists and the search."""
    if access.is_coordinator(user):
        return Minutes.objects.all()
    if not user.is_authenticated:
        return Minutes.objects.none()
    rule = Q(meeting__body_id__in=access.moderated_body_ids(user))
    if access.is_professional(user):
        members = Q(meeting__body_id__in=access.member_body_ids(user))
        rule |= members & (~Q(status=Status.DRAFT) | Q(author=user))
    return Minutes.objects.filter(rule)
