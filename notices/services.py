"""Writing and reading notices. The apps above call `send_notices` from their own services."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.paths import is_site_path

from . import permissions
from .kinds import is_registered, registered_kinds
from .models import Notice, OptOut
from .selectors import wanting

TITLE_LENGTH = Notice._meta.get_field("title").max_length
TEXT_LENGTH = 2000


def send_notices(recipients: Iterable[Any], *, kind: str, title: str, text: str, url: str) -> list[Notice]:
    """One notice per person (each person once, however often listed), leaving out who switched `kind` off
    and inactive accounts.

    The rows are written in the caller's transaction rather than after its commit (as mails are): a notice
    is part of the change it reports, so it appears exactly when the change does and vanishes with a
    rolled-back one; nothing leaves the database, so there is nothing to wait for."""
    if not is_site_path(url):
        raise ValueError(f"a notice links to a path on this site, not to {url!r}")
    if not is_registered(kind):
        raise ValueError(f"unregistered notice kind {kind!r} (notices.kinds.register_kind)")
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    now = timezone.now()
    return Notice.objects.bulk_create(
        Notice(
            recipient=person,
            kind=kind,
            title=title[:TITLE_LENGTH],
            text=text[:TEXT_LENGTH],
            url=url,
            created_at=now,
        )
        for person in wanting(people.values(), kind)
    )


def mark_read(user: Any, notice: Notice) -> Notice:
    permissions.check_read(user, notice)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        # Conditional, so a second tab does not move the first reading's time.
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def mark_all_read(user: Any) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def set_wanted_kinds(user: Any, wanted: Iterable[str]) -> None:
    """The profile's switches: every registered kind not in `wanted` is switched off."""
    known = {kind.key for kind in registered_kinds()}
    off = known - set(wanted)
    OptOut.objects.filter(user=user, kind__in=known - off).delete()
    OptOut.objects.bulk_create([OptOut(user=user, kind=kind) for kind in sorted(off)], ignore_conflicts=True)
