"""Reading the data files and turning their relative dates into moments near today."""

import functools
from datetime import datetime, time, timedelta
from pathlib import Path

import yaml
from django.utils import timezone

DATA_DIR = Path(__file__).resolve().parent / "data"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@functools.cache
def load(name):
    """The parsed data file demo/data/<name>.yaml (read once per process)."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def days_from_today(days):
    return timezone.localdate() + timedelta(days=days)


def moment(days, hour=9, minute=0, weekday=None):
    """`days` from today (negative: ago) at the given time, moved on to the next `weekday` if one is named,
    so that demo meetings fall on plausible days whenever the demo is seeded."""
    day = days_from_today(days)
    if weekday is not None:
        day += timedelta(days=(WEEKDAYS.index(weekday) - day.weekday()) % 7)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
