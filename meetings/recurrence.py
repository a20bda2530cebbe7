"""Series rules: the RRULE text we store and the dates it gives, both through python-dateutil / icalendar."""

from datetime import UTC, date, datetime, time

import icalendar
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BERLIN

MAX_OCCURRENCES = 60


class Repeat:
    NONE = ""
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY_WEEKDAY = "monthly_weekday"
    MONTHLY_DAY = "monthly_day"

    CHOICES = [
        (NONE, _("keine Wiederholung")),
        (WEEKLY, _("jede Woche")),
        (BIWEEKLY, _("alle zwei Wochen")),
        (MONTHLY_WEEKDAY, _("monatlich am selben Wochentag (z. B. jeden 2. Dienstag)")),
        (MONTHLY_DAY, _("monatlich am selben Kalendertag")),
    ]


WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def build_rule(repeat: str, first_start: datetime, until: date) -> str:
    """The RRULE value for a choice of the form; UNTIL in UTC as RFC 5545 asks when DTSTART has a TZID."""
    local = timezone.localtime(first_start, BERLIN)
    last = datetime.combine(until, time(23, 59, 59), tzinfo=BERLIN)
    recur = {"UNTIL": last.astimezone(UTC)}
    if repeat == Repeat.WEEKLY:
        recur = {"FREQ": "WEEKLY", **recur}
    elif repeat == Repeat.BIWEEKLY:
        recur = {"FREQ": "WEEKLY", "INTERVAL": 2, **recur}
    elif repeat == Repeat.MONTHLY_WEEKDAY:
        nth = (local.day - 1) // 7 + 1
        # A fifth weekday does not exist in every month: "the last" is what people mean by it.
        recur = {"FREQ": "MONTHLY", "BYDAY": f"{-1 if nth == 5 else nth}{WEEKDAYS[local.weekday()]}", **recur}
    elif repeat == Repeat.MONTHLY_DAY:
        recur = {"FREQ": "MONTHLY", **recur}
    else:
        raise ValidationError(_("Unbekannte Wiederholung."))
    return icalendar.vRecur(recur).to_ical().decode()


def occurrences(rule: str, first_start: datetime) -> list[datetime]:
    """Every start of the series as an aware Europe/Berlin time: the wall-clock time stays across DST."""
    local = timezone.localtime(first_start, BERLIN)
    dates = list(
        rrulestr(rule, dtstart=local, cache=False, forceset=False).xafter(local, count=MAX_OCCURRENCES + 1, inc=True)
    )
    if len(dates) > MAX_OCCURRENCES:
        raise ValidationError(
            _("Eine Reihe darf höchstens %(count)s Termine haben. Bitte wählen Sie ein früheres Enddatum.")
            % {"count": MAX_OCCURRENCES}
        )
    return [moment.replace(tzinfo=BERLIN) for moment in dates]
