"""Published minutes on the forum's search page (forum.search.register_search_source), with the minutes' own rule."""

from datetime import date

from django.utils.translation import gettext as _

from core.permissions import Viewer
from forum.search import SearchHit, match_snippet, plain_text

from . import permissions
from .models import Minutes

# Minutes are few (a body meets about monthly): those a person may read are matched in Python.
MAX_SCANNED = 2000


def search_minutes(
    user: Viewer, text: str, *, date_from: date | None = None, date_to: date | None = None, limit: int = 20
) -> list[SearchHit]:
    minutes = permissions.visible_minutes(user).filter(status=Minutes.Status.PUBLISHED)
    if date_from is not None:
        minutes = minutes.filter(meeting__start__date__gte=date_from)
    if date_to is not None:
        minutes = minutes.filter(meeting__start__date__lte=date_to)
    hits = []
    for item in minutes.select_related("meeting__body").prefetch_related("decisions")[:MAX_SCANNED]:
        content = " ".join(
            [item.meeting.title, plain_text(item.html), *(decision.text for decision in item.decisions.all())]
        )
        snippet = match_snippet(content, text)
        if snippet is None:
            continue
        hits.append(
            SearchHit(
                title=_("Protokoll: %(title)s") % {"title": item.meeting.title},
                url=item.get_absolute_url(),
                where=item.meeting.body.short_name or item.meeting.body.name,
                when=item.meeting.start,
                snippet=snippet,
            )
        )
        if len(hits) >= limit:
            break
    return hits
