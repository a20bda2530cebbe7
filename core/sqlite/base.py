"""Django's SQLite backend, with closed connections kept for the next request of the process.

Served over ASGI, Django runs each request in a thread of its own, and `CONN_MAX_AGE` keeps a
connection per thread, so every request opened a connection and closed it again. Opening one costs
about 2 ms on this project (SQLite reads the whole schema, some 600 entries, at the first statement),
on the way of every page and of every reply before its live post goes out (bench/README.md, live
layer). Here a connection that is closed with nothing pending goes back to a small pool of its
database file, and the next connection of any thread of the process takes it from there; Django sets
up the rest (autocommit, the `connection_created` signal) as for a new one. A connection inside a
transaction, or one that saw an error, is really closed. In-memory databases (the tests') are never
closed by Django, so nothing is pooled for them.
"""

import sqlite3
import threading
from typing import Any

from django.db.backends.sqlite3 import base

# Idle connections kept per database file: enough for the requests a process serves at once.
KEEP = 8

_pools: dict[str, list[sqlite3.Connection]] = {}
_lock = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        with _lock:
            idle = _pools.get(self.settings_dict["NAME"])
            if idle:
                return idle.pop()
        return super().get_new_connection(conn_params)

    def _close(self) -> None:
        raw = self.connection
        if raw is not None and not (self.in_atomic_block or raw.in_transaction or self.errors_occurred):
            with _lock:
                idle = _pools.setdefault(self.settings_dict["NAME"], [])
                if len(idle) < KEEP:
                    idle.append(raw)
                    return
        super()._close()  # type: ignore[misc]  # defined by BaseDatabaseWrapper, untyped here


def close_idle_connections() -> None:
    """Closes the kept connections (before a database file is removed or replaced)."""
    with _lock:
        idle = [raw for pool in _pools.values() for raw in pool]
        _pools.clear()
    for raw in idle:
        raw.close()
