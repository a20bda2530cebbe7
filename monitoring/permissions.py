"""Who may change the Sozialmonitoring (core.permissions convention: check_ raises, can_ answers).

Everyone reads it: the indicators are public statistics of the city. The coordination, which
receives the figures from the city's statistics office, defines the indicators and enters or
imports their values.
"""

from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed
from network import access

COORDINATION_ONLY = _("Nur die Sozialraumkoordination pflegt das Sozialmonitoring.")


def check_manage_monitoring(user: Viewer) -> None:
    if not access.is_coordinator(user):
        raise PermissionDenied(COORDINATION_ONLY)


def can_manage_monitoring(user: Viewer) -> bool:
    return allowed(check_manage_monitoring, user)
