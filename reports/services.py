"""Writing and publishing the yearly report."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import User

from . import permissions
from .models import AnnualReport
from .selectors import annual_figures

FIRST_YEAR = 2018  # the coordination's surveys and reports began then (Sozialraumkonzept)


def start_report(user: User, year: int) -> AnnualReport:
    permissions.check_edit_reports(user)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(
            _("Einen Jahresbericht gibt es für die Jahre %(first)d bis %(last)d.")
            % {"first": FIRST_YEAR, "last": timezone.localdate().year}
        )
    report, _created = AnnualReport.objects.get_or_create(year=year, defaults={"updated_by": user})
    return report


def save_report_texts(user: User, report: AnnualReport, *, introduction: str, outlook: str) -> AnnualReport:
    permissions.check_edit_reports(user)
    report.introduction = introduction.strip()
    report.outlook = outlook.strip()
    report.updated_by = user
    report.save(update_fields=["introduction", "outlook", "updated_by", "updated_at"])
    return report


def publish_report(user: User, report: AnnualReport) -> AnnualReport:
    """Freezes the figures as they are now; the texts stay editable (a correction is noted by the date)."""
    permissions.check_edit_reports(user)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.is_published:
            raise ValidationError(_("Dieser Jahresbericht ist bereits veröffentlicht."))
        report.figures = annual_figures(report.year)
        report.published_at = timezone.now()
        report.updated_by = user
        report.save(update_fields=["figures", "published_at", "updated_by", "updated_at"])
    return report


def withdraw_report(user: User, report: AnnualReport) -> AnnualReport:
    """Back to a draft that counts afresh, e.g. after late entries of meetings or attendance."""
    permissions.check_edit_reports(user)
    report.figures = None
    report.published_at = None
    report.updated_by = user
    report.save(update_fields=["figures", "published_at", "updated_by", "updated_at"])
    return report
