"""Who reads and who writes the yearly report."""

from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed
from network import access

from .models import AnnualReport

PROFESSIONALS_ONLY = _("Den Jahresbericht lesen die freigegebenen Fachkräfte des Netzwerks.")
NOT_PUBLISHED = _("Dieser Jahresbericht ist noch nicht veröffentlicht.")
COORDINATION_ONLY = _("Den Jahresbericht schreibt und veröffentlicht die Sozialraumkoordination.")


def check_see_reports(user: Viewer) -> None:
    if not access.is_professional(user):
        raise PermissionDenied(PROFESSIONALS_ONLY)


def check_see_report(user: Viewer, report: AnnualReport) -> None:
    check_see_reports(user)
    if not report.is_published and not can_edit_reports(user):
        raise PermissionDenied(NOT_PUBLISHED)


def check_edit_reports(user: Viewer) -> None:
    if not (access.is_coordinator(user) or user.is_superuser):
        raise PermissionDenied(COORDINATION_ONLY)


def can_see_reports(user: Viewer) -> bool:
    return allowed(check_see_reports, user)


def can_edit_reports(user: Viewer) -> bool:
    return allowed(check_edit_reports, user)
