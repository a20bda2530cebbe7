"""Who may preview, send and administer newsletters: the newsletter's checks and their sentences.

Built on `network.access`; see core/permissions.py for the convention.
"""

from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed
from network import access

EDITORS_ONLY = _("Die E-Mail-Vorschau ist für die Redaktion.")
COORDINATION_ONLY = _("Newsletter versenden und ihre Empfänger verwalten kann nur die Sozialraumkoordination.")


def check_preview_edition(user: Viewer) -> None:
    if not access.is_editor(user):
        raise PermissionDenied(EDITORS_ONLY)


def check_send_newsletters(user: Viewer) -> None:
    """Sending, its progress, the consent records and the import of subscribers."""
    if not access.is_coordinator(user):
        raise PermissionDenied(COORDINATION_ONLY)


def can_preview_edition(user: Viewer) -> bool:
    return allowed(check_preview_edition, user)


def can_send_newsletters(user: Viewer) -> bool:
    return allowed(check_send_newsletters, user)
