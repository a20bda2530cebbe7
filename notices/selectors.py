"""Reads of notices, for the pages of this app, the dashboard, the header badge and the apps that mail."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Notice, OptOut


def notices_of(user: Any) -> QuerySet[Notice]:
    """A person's notices, newest first."""
    return Notice.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    if not user.is_authenticated:
        return 0
    if _REMEMBERED in user.__dict__:
        return user.__dict__[_REMEMBERED]
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


# Where a page that read the count along with its own query leaves it for the header's badge.
_REMEMBERED = "_unread_notice_count"


def unread_count_subquery(user_id: Any) -> Coalesce:
    """unread_count as an expression, for a page's own query to bring along (then `remember_unread_count`)."""
    counted = (
        Notice.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


def remember_unread_count(user: Any, count: int) -> None:
    """The count read with the page's query stands for the rest of the request: the badge asks no query."""
    user.__dict__[_REMEMBERED] = count


def latest_unread(user: Any, limit: int = 5) -> list[Notice]:
    return list(notices_of(user).filter(read_at__isnull=True)[:limit])


def opted_out_kinds(user: Any) -> set[str]:
    return set(OptOut.objects.filter(user=user).values_list("kind", flat=True))


def wanting(people: Iterable[Any], kind: str) -> list[Any]:
    """Those of `people` who have not switched `kind` off (one query), in the order given. Apps that also
    mail about the kind ask this before they mail, so the profile's switch holds for both channels."""
    people = list(people)
    if not people:
        return []
    off = set(OptOut.objects.filter(kind=kind, user__in=[p.pk for p in people]).values_list("user_id", flat=True))
    return [person for person in people if person.pk not in off]
