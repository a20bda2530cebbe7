"""The channel layer of a single server process without Redis."""

import asyncio
import time
from copy import deepcopy

from channels.layers import InMemoryChannelLayer


class SingleProcessChannelLayer(InMemoryChannelLayer):
    """Channels' in-memory layer, made for one topic read by hundreds of connections.

    The original looks through every queue and every group member on each receive and group
    send, so a post to a topic read by 500 connections took 500 such sweeps over some 2,000
    entries: about a quarter of a million steps before the last reader had it. Messages
    expire after a minute and group memberships after a day, so a sweep a second is as good.

    A group send also copied the message and started a task for every member; here the members
    share one copy (receivers only read their messages) that goes straight into their queues.
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

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        shared, expires = deepcopy(message), time.time() + self.expiry
        for channel in list(self.groups.get(group, {})):
            queue = self.channels.setdefault(channel, asyncio.Queue(maxsize=self.get_capacity(channel)))
            # As in channels' own group send: a reader whose queue is full misses this message.
            if not queue.full():
                queue.put_nowait((expires, shared))
