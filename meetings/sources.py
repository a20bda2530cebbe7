"""Other apps' events in the meetings' calendars: a registry, because meetings may not import them.

The CMS (one floor above) registers its public events in `CmsConfig.ready()`:

    from meetings import sources
    sources.register(public_events)

A source is a function `source(since, until, body_id) -> Iterable[CalendarEntry]` that returns only
entries everyone may see (the feeds that show them are public or, for the personal feed, a superset
of public). `body_id` narrows to the events of one body (its public feed); None means all. `until`
None means open-ended. A source answers with a fixed number of queries (one is usual), so feeds stay
constant in queries however many events there are (bench/meetings_feed.py, tests/meetings/test_feed_queries.py).

An entry's `uid` must stay the same for the same event across renders and versions (calendar
programs match on it); `sequence` rises when the event changes in a way a calendar shows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    title: str
    start: datetime
    end: datetime | None
    url: str  # absolute
    location: str = ""
    description: str = ""
    body_id: int | None = None
    sequence: int = 0
    last_modified: datetime | None = None
    kind_label: str = ""  # e.g. "Veranstaltung", shown in lists beside the title

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.start, BERLIN)

    @property
    def local_end(self) -> datetime | None:
        return timezone.localtime(self.end, BERLIN) if self.end else None

    # Lists show meetings and entries together: the same names the templates use for meetings.
    is_cancelled = False

    def get_absolute_url(self) -> str:
        return self.url


Source = Callable[[datetime, datetime | None, int | None], Iterable[CalendarEntry]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add a source (once; registering the same function again changes nothing). Usable as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def unregister(source: Source) -> None:
    if source in _sources:
        _sources.remove(source)


def entries(since: datetime, until: datetime | None = None, body_id: int | None = None) -> list[CalendarEntry]:
    """Every registered source's entries starting in [since, until), sorted by start."""
    found = [entry for source in _sources for entry in source(since, until, body_id)]
    return sorted(found, key=lambda entry: entry.start)
