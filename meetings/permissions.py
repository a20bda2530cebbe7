"""Who may see, schedule, answer and document meetings: the one answer every view, feed and mail asks.

Built on `network.access`: a body's moderation or the coordination runs meetings; who sees one
follows the meeting's own visibility (members / network / public).
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed
from network import access
from network.models import NetworkBody

from .models import Guest, Meeting, Visibility


def is_guest(user: Viewer, meeting: Meeting) -> bool:
    """Invited to this meeting, or a standing guest of its body; an inactive account is no guest."""
    if not (user.is_authenticated and user.is_active):
        return False
    return Guest.objects.filter(Q(meeting=meeting) | Q(body_id=meeting.body_id), user=user).exists()


def check_schedule(user: Viewer, body: NetworkBody) -> None:
    if not access.can_moderate_body(user, body):
        raise PermissionDenied(_("Sitzungen planen nur die Moderation dieses Gremiums und die Sozialraumkoordination."))


def check_manage(user: Viewer, meeting: Meeting) -> None:
    """Edit, cancel, see the replies, record attendance."""
    if not access.can_moderate_body(user, meeting.body):
        raise PermissionDenied(
            _("Diese Sitzung verwalten nur die Moderation des Gremiums und die Sozialraumkoordination.")
        )


def check_see(user: Viewer, meeting: Meeting) -> None:
    if meeting.visibility == Visibility.PUBLIC or access.can_moderate_body(user, meeting.body):
        return
    if meeting.visibility == Visibility.NETWORK and access.is_professional(user):
        return
    if (
        meeting.visibility == Visibility.MEMBERS
        and access.is_professional(user)
        and access.is_member(user, meeting.body)
    ):
        return
    if is_guest(user, meeting):
        return
    raise PermissionDenied(_("Diese Sitzung ist nur für Mitglieder des Gremiums sichtbar."))


def check_reply(user: Viewer, meeting: Meeting) -> None:
    check_see(user, meeting)
    if not (access.is_professional(user) or is_guest(user, meeting)):
        raise PermissionDenied(_("Zu- und Absagen können nur freigegebene Fachkräfte und eingeladene Gäste."))
    if meeting.is_cancelled:
        raise PermissionDenied(_("Diese Sitzung wurde abgesagt; Rückmeldungen sind nicht mehr möglich."))
    if meeting.is_past:
        raise PermissionDenied(_("Diese Sitzung liegt in der Vergangenheit; Rückmeldungen sind nicht mehr möglich."))


def check_propose_agenda_item(user: Viewer, meeting: Meeting) -> None:
    if access.can_moderate_body(user, meeting.body):
        if meeting.is_cancelled:
            raise PermissionDenied(_("Diese Sitzung wurde abgesagt."))
        return
    if not (access.is_professional(user) and access.is_member(user, meeting.body)):
        raise PermissionDenied(_("Punkte für die Tagesordnung schlagen Mitglieder des Gremiums vor."))
    if not meeting.is_open_for_proposals:
        raise PermissionDenied(_("Die Frist für Vorschläge zur Tagesordnung ist abgelaufen."))


def check_manage_guests(user: Viewer, meeting: Meeting) -> None:
    if not access.can_moderate_body(user, meeting.body):
        raise PermissionDenied(_("Gäste laden nur die Moderation des Gremiums und die Sozialraumkoordination ein."))


def can_manage_guests(user: Viewer, meeting: Meeting) -> bool:
    return allowed(check_manage_guests, user, meeting)


def can_schedule(user: Viewer, body: NetworkBody) -> bool:
    return allowed(check_schedule, user, body)


def can_manage(user: Viewer, meeting: Meeting) -> bool:
    return allowed(check_manage, user, meeting)


def can_see(user: Viewer, meeting: Meeting) -> bool:
    return allowed(check_see, user, meeting)


def can_reply(user: Viewer, meeting: Meeting) -> bool:
    return allowed(check_reply, user, meeting)


def can_propose_agenda_item(user: Viewer, meeting: Meeting) -> bool:
    return allowed(check_propose_agenda_item, user, meeting)


def visible_meetings(user: Viewer) -> QuerySet[Meeting]:
    """The same rule as `check_see`, as a query, for lists and feeds."""
    if access.is_coordinator(user):
        return Meeting.objects.all()
    rule = Q(visibility=Visibility.PUBLIC)
    if access.is_professional(user):
        rule |= Q(visibility=Visibility.NETWORK)
        rule |= Q(visibility=Visibility.MEMBERS, body_id__in=access.member_body_ids(user))
        rule |= Q(body_id__in=access.moderated_body_ids(user))
    if user.is_authenticated and user.is_active:
        # Subqueries, not joins: the list stays one query and a meeting never appears twice.
        guest_of = Guest.objects.filter(user=user)
        rule |= Q(pk__in=guest_of.filter(meeting__isnull=False).values("meeting_id"))
        rule |= Q(body_id__in=guest_of.filter(body__isnull=False).values("body_id"))
    return Meeting.objects.filter(rule)
