"""Importing subscribers from a CSV file: only rows that prove consent, never against a withdrawal.

Columns (header row, comma or semicolon): email, name (optional), consent_source, consent_given_at,
consent_text. Each imported row becomes a confirmed subscription with a ConsentRecord of source
`import` that keeps the row's proof: where and when the person agreed, and to which text.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .models import ConsentRecord, Subscriber, Subscription, consent_version_of

REQUIRED_COLUMNS = ("email", "consent_source", "consent_given_at", "consent_text")
GERMAN_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y")


class ImportFormatError(Exception):
    """The file as a whole can't be read; the message is German, for the person importing."""


@dataclass
class ImportReport:
    imported: list = field(default_factory=list)  # addresses
    rejected: list = field(default_factory=list)  # (line number, address, reason)


def _parse_moment(value):
    value = value.strip()
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        moment = datetime(day.year, day.month, day.day) if day else None
    for pattern in GERMAN_FORMATS:
        if moment is not None:
            break
        try:
            moment = datetime.strptime(value, pattern)
        except ValueError:
            continue
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _reader(text):
    text = text.lstrip("\ufeff")
    # Spreadsheets with German settings write semicolons; a file of one column has neither.
    try:
        dialect = csv.Sniffer().sniff("\n".join(text.splitlines()[:20]), delimiters=";,")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect.delimiter)
    columns = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFormatError(
            _("Der Datei fehlen die Spalten %(columns)s. Nötig sind: %(required)s.")
            % {"columns": ", ".join(missing), "required": ", ".join(REQUIRED_COLUMNS)}
        )
    reader.fieldnames = columns
    return reader


def _row_problem(row, seen, now):
    """Why a row can't be imported, or None."""
    address = row["email"]
    try:
        validate_email(address)
    except ValidationError:
        return _("keine gültige E-Mail-Adresse")
    if address.lower() in seen:
        return _("doppelt in der Datei (zuerst in Zeile %(line)s)") % {"line": seen[address.lower()]}
    if not row["consent_source"]:
        return _("Herkunft der Einwilligung (consent_source) fehlt")
    if not row["consent_text"]:
        return _("Einwilligungstext (consent_text) fehlt")
    given_at = _parse_moment(row["consent_given_at"])
    if given_at is None:
        return _(
            "Zeitpunkt der Einwilligung (consent_given_at) fehlt oder ist unlesbar, erwartet z. B. 2024-03-01 oder 01.03.2024"
        )
    if given_at > now:
        return _("Zeitpunkt der Einwilligung liegt in der Zukunft")
    return None


@transaction.atomic
def import_subscribers(newsletter, text, *, source_detail):
    """Import the rows that prove consent; report every other row with its line and a German reason.

    `source_detail` says where the file came from (file name, who imported it); it is stored with
    each consent next to the row's own source.
    """
    now = timezone.now()
    report = ImportReport()
    seen = {}
    reader = _reader(text)
    # A file that turns out unreadable halfway imports nothing: the coordination fixes it and tries again.
    with transaction.atomic():
        try:
            for row in reader:
                line = reader.line_num
                row = {key: (value or "").strip() for key, value in row.items() if key}
                row.setdefault("name", "")
                address = row["email"]
                problem = _row_problem(row, seen, now)
                if problem is None:
                    seen[address.lower()] = line
                    problem = _existing_problem(newsletter, address)
                if problem is not None:
                    report.rejected.append((line, address, problem))
                    continue
                _import_row(newsletter, row, source_detail, now)
                report.imported.append(address)
        except csv.Error as error:
            raise ImportFormatError(
                _("Die Datei ist ab Zeile %(line)d kein lesbares CSV (%(error)s). Es wurde nichts importiert.")
                % {"line": reader.line_num + 1, "error": error}
            ) from error
    return report


def _existing_problem(newsletter, address):
    subscriber = Subscriber.objects.filter(email__iexact=address).first()
    if subscriber is None:
        return None
    if subscriber.status == Subscriber.Status.BOUNCED:
        return _("Adresse ist als unzustellbar gesperrt")
    status = subscriber.subscriptions.filter(newsletter=newsletter).values_list("status", flat=True).first()
    if status == Subscription.Status.UNSUBSCRIBED:
        return _("hat sich von diesem Newsletter abgemeldet")
    if status == Subscription.Status.CONFIRMED:
        return _("ist bereits angemeldet")
    return None


def _import_row(newsletter, row, source_detail, now):
    subscriber, _created = Subscriber.objects.get_or_create(
        email__iexact=row["email"], defaults={"email": row["email"], "name": row["name"][:160]}
    )
    if row["name"] and not subscriber.name:
        subscriber.name = row["name"][:160]
        subscriber.save(update_fields=["name"])
    subscription, _created = Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    ConsentRecord.objects.create(
        subscription=subscription,
        source=ConsentRecord.Source.IMPORT,
        source_detail=f"{row['consent_source']} ({source_detail})"[:500],
        consent_text=row["consent_text"],
        consent_version=consent_version_of(row["consent_text"]),
        given_at=_parse_moment(row["consent_given_at"]),
        confirmed_at=now,
    )
    subscription.status = Subscription.Status.CONFIRMED
    subscription.confirmed_at = now
    subscription.save(update_fields=["status", "confirmed_at"])
