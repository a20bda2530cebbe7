"""The CMS's public events (EventPage) in the meetings' calendar feeds and calendar page.

Registered in `CmsConfig.ready()` with `meetings.sources.register` (the meetings app may not import
the CMS). One query per call; the UID is derived from the page id, so it stays the same when the
page is renamed or moved.
"""

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext

from meetings.sources import CalendarEntry

from .models import EventPage


def event_uid(page: EventPage) -> str:
    return f"cms-event-{page.pk}@sozialraum-teltow"


def _absolute(page: EventPage) -> str:
    # url_path without a Site lookup per page: the default site serves the whole tree at its root page.
    return settings.SITE_URL.rstrip("/") + page.url_path[len(page.url_path.split("/", 2)[1]) + 1 :]


def public_events(since: datetime, until: datetime | None, body_id: int | None) -> list[CalendarEntry]:
    events = EventPage.objects.live().public().filter(start__gte=since)
    if until is not None:
        events = events.filter(start__lt=until)
    if body_id is not None:
        events = events.filter(network_body_id=body_id)
    label = gettext("Veranstaltung")
    return [
        CalendarEntry(
            uid=event_uid(page),
            title=page.title,
            start=page.start,
            end=page.end,
            url=_absolute(page),
            location=page.location,
            description=page.intro,
            body_id=page.network_body_id,
            last_modified=page.last_published_at,
            kind_label=label,
        )
        for page in events.order_by("start").only(
            "pk", "title", "start", "end", "location", "intro", "network_body_id", "url_path", "last_published_at"
        )
    ]
