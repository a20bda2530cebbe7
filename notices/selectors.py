"""Reads of notices, for the pages of this app, the dashboard, the header badge and the apps that mail."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from .models import Notice, OptOut


def notices_of(user: Any) -> QuerySet[Notice]:
    """A person's notices, newest first."""
    return Notice.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


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
