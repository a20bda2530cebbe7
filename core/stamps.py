"""Stamps that key cached fragments: a random value kept in the cache and replaced whenever the data behind the
fragments changes (apps connect `renew` to their signals), so a fragment is never served stale.

The stamp lives in the cache itself (Redis when several processes serve, as for every other shared cache
here); when it is missing a new one is drawn, which costs one cold render.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> str:
    stamp = cache.get(key)
    if stamp is None:
        # add, not set: of two processes drawing at once, both go on with the one that was stored first.
        cache.add(key, uuid.uuid4().hex, None)
        stamp = cache.get(key) or "unstamped"
    return stamp


def renew(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)
    if transaction.get_connection().in_atomic_block:
        # Signals fire before the commit: a request reading in between sees the old rows and caches them
        # under the new stamp. Renewing once more when the change is visible leaves that entry unread.
        transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))
