"""The channel layer of a single server process without Redis."""

import time

from channels.layers import InMemoryChannelLayer


class SingleProcessChannelLayer(InMemoryChannelLayer):
    """Channels' in-memory layer, expiring old messages and group memberships once a second.

    The original looks through every queue and every group member on each receive and group
    send, so a post to a topic read by 500 connections took 500 such sweeps over some 2,000
    entries: about a quarter of a million steps before the last reader had it. Messages
    expire after a minute and group memberships after a day, so a sweep a second is as good.
    """

    sweep_interval = 1.0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._last_sweep = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._last_sweep >= self.sweep_interval:
            self._last_sweep = now
            super()._clean_expired()
