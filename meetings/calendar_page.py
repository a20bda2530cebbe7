"""The network calendar page: a month grid and a list, both plain server-rendered HTML."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from .models import BERLIN

MONTH_NAMES = [
    "",
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
WEEKDAY_NAMES = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    meetings: list = field(default_factory=list)


def parse_month(value: str | None) -> date:
    """`2027-03` → 1 March 2027; anything else (or nothing) → this month."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1) if 1900 <= year <= 2200 else today.replace(day=1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def month_bounds(first: date) -> tuple[datetime, datetime]:
    start = datetime(first.year, first.month, 1, tzinfo=BERLIN)
    return start, start + relativedelta(months=1)


def neighbours(first: date) -> tuple[date, date]:
    return first - relativedelta(months=1), first + relativedelta(months=1)


def weeks(first: date, meetings) -> list[list[Day]]:
    today = timezone.localdate()
    by_day = {}
    for meeting in meetings:
        by_day.setdefault(meeting.local_start.date(), []).append(meeting)
    return [
        [Day(day, day.month == first.month, day == today, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
