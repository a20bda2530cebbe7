"""The conference's lists and reports as files: the registration list as CSV for German Excel
(UTF-8 with BOM, semicolons), the name list, the name badges and the "Bericht an den Landkreis" as
PDF (core.pdf)."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from core import pdf

from ..models import Conference
from . import selectors

# Excel opens a file as UTF-8 only with the byte order mark; a German Excel splits on semicolons.
BOM = "\ufeff"
# A cell starting with these would be run as a formula by a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def registrations_csv(conference: Conference) -> str:
    rows = selectors.registration_rows(conference)
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Name"),
            _("Organisation"),
            _("E-Mail-Adresse"),
            _("Status"),
            _("Wartelistenplatz"),
            _("Erstwunsch"),
            _("Zweitwunsch"),
            _("Zugeteiltes Forum"),
            _("Hinweise"),
            _("Angemeldet am"),
            _("Storniert am"),
        ]
    )
    for row in rows:
        registration, choice = row.registration, row.choice
        writer.writerow(
            _cell(value)
            for value in (
                registration.name,
                registration.organisation,
                registration.email,
                registration.get_status_display(),
                row.position or "",
                choice.first_wish if choice and choice.first_wish else "",
                choice.second_wish if choice and choice.second_wish else "",
                choice.assigned if choice and choice.assigned else "",
                registration.remarks,
                timezone.localtime(registration.created_at).strftime("%d.%m.%Y %H:%M"),
                timezone.localtime(registration.cancelled_at).strftime("%d.%m.%Y %H:%M")
                if registration.cancelled_at
                else "",
            )
        )
    return out.getvalue()


def name_list_pdf(conference: Conference) -> bytes:
    return pdf.render_pdf(
        "planning/conference/name_list_pdf.html",
        {"conference": conference, "rows": selectors.name_list(conference), "event": conference.event},
    )


# Name badges: 2 × 4 of 90 × 55 mm on an A4 sheet, the size of the usual clip-on badge holders and of
# the common perforated badge sheets; planning/conference/badges_pdf.html places them.
BADGES_PER_SHEET = 8


def badges_pdf(conference: Conference) -> bytes:
    """A badge for each confirmed registrant, alphabetically as on the name list: the waiting list and
    cancellations get none."""
    rows = selectors.name_list(conference)
    sheets = [rows[start : start + BADGES_PER_SHEET] for start in range(0, len(rows), BADGES_PER_SHEET)]
    return pdf.render_pdf(
        "planning/conference/badges_pdf.html", {"conference": conference, "event": conference.event, "sheets": sheets}
    )


def county_report_pdf(conference: Conference) -> bytes:
    return pdf.render_pdf(
        "planning/conference/county_report_pdf.html",
        {
            "conference": conference,
            "year": conference.year,
            "event": conference.event,
            "priorities": selectors.priority_list(conference.year),
            "workshops": selectors.workshops_of(conference),
            "counts": selectors.counts(selectors.registration_rows(conference)),
            "generated_on": timezone.localdate(),
        },
    )
