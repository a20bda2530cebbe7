"""May this person join, moderate, invite, approve? The network's checks and their sentences.

Built on the role questions of `network.access` (is_member, is_coordinator, can_moderate_body, …);
services call a `check_<action>` once, templates get the `can_<action>` booleans (core/permissions.py).
"""

from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed

from . import access
from .models import Invitation, NetworkBody

PROFESSIONALS_ONLY = _("Diese Seite ist nur für freigegebene Fachkräfte sichtbar.")
JOIN_PROFESSIONALS_ONLY = _("Nur freigegebene Fachkräfte können Gremien beitreten.")
ALREADY_MEMBER = _("Sie sind bereits Mitglied in diesem Gremium.")
MODERATION_ONLY = _("Nur die Moderation dieses Gremiums kann Mitglieder verwalten.")
COORDINATION_ONLY = _("Nur die Sozialraumkoordination kann Registrierungen freigeben.")
OTHER_ADDRESS = _("Diese Einladung gilt für eine andere E-Mail-Adresse.")
NOT_APPROVED_YET = _("Ihr Konto muss erst von der Sozialraumkoordination freigegeben werden.")
DISTRICTS_COORDINATION_ONLY = _("Nur die Sozialraumkoordination pflegt die Quartiere.")


def check_see_people(user: Viewer) -> None:
    """The directory of people and organisations' members is for professionals only."""
    if not (access.is_professional(user) or access.is_coordinator(user)):
        raise PermissionDenied(PROFESSIONALS_ONLY)


def check_join_body(user: Viewer, body: NetworkBody) -> None:
    if not access.is_professional(user):
        raise PermissionDenied(JOIN_PROFESSIONALS_ONLY)
    if access.is_member(user, body):
        raise PermissionDenied(ALREADY_MEMBER)


def check_manage_body(user: Viewer, body: NetworkBody) -> None:
    """Members, join requests and invitations of a body: its moderation and the coordination."""
    if not access.can_moderate_body(user, body):
        raise PermissionDenied(MODERATION_ONLY)


def check_approve_signups(user: Viewer) -> None:
    if not access.is_coordinator(user):
        raise PermissionDenied(COORDINATION_ONLY)


def check_manage_districts(user: Viewer) -> None:
    """Quartiere are the unit of the city's Sozialmonitoring: the coordination keeps them."""
    if not access.is_coordinator(user):
        raise PermissionDenied(DISTRICTS_COORDINATION_ONLY)


def check_answer_invitation(user: Viewer, invitation: Invitation) -> None:
    """An invitation belongs to its address: a forwarded link must not open a closed body."""
    addresses = user.emailaddress_set if user.is_authenticated else None  # type: ignore[attr-defined]  # allauth's relation, untyped
    if addresses is None or not addresses.filter(email__iexact=invitation.email, verified=True).exists():
        raise PermissionDenied(OTHER_ADDRESS)


def check_accept_invitation(user: Viewer, invitation: Invitation) -> None:
    check_answer_invitation(user, invitation)
    if not access.is_professional(user):
        raise PermissionDenied(NOT_APPROVED_YET)


def can_see_people(user: Viewer) -> bool:
    return allowed(check_see_people, user)


def can_join_body(user: Viewer, body: NetworkBody) -> bool:
    return allowed(check_join_body, user, body)


def can_manage_body(user: Viewer, body: NetworkBody) -> bool:
    return allowed(check_manage_body, user, body)


def can_approve_signups(user: Viewer) -> bool:
    return allowed(check_approve_signups, user)


def can_manage_districts(user: Viewer) -> bool:
    return allowed(check_manage_districts, user)
