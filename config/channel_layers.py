"""The channel layers: one for a single server process without Redis, one for Redis across processes."""

import asyncio
import time
from collections import Counter
from copy import deepcopy

from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer


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


class _Failure:
    """Put into a waiting connection's queue when taking messages from Redis failed: it raises the error."""

    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


class ProcessRedisChannelLayer(RedisChannelLayer):
    """channels-redis, with the messages for this process's connections taken from Redis by one task.

    channels-redis already sends a group message once per process: the channels of a process share
    one Redis key, and the message names the ones it is for. But to receive, every waiting connection
    raced the others for the process's lock with two new tasks and an `asyncio.wait` per message, and
    each loser's cancelled lock request was searched out of a queue as long as the connections: the
    cost of a delivered frame grew with the connections of a process (bench/README.md, live scaling).

    Here one task per process pops the process's messages from Redis, oldest first, and puts each
    into the queues of the channels it names; a connection waits on its own queue only. Each channel
    keeps its messages in the order they were sent, as before; the queues are channels-redis's
    bounded ones (a connection that stops reading loses its oldest message), a queue is dropped once
    its reader emptied it or was cancelled, as before. The task runs while connections wait and is
    cancelled when the last waiting one is, so that no finished event loop keeps it; if Redis fails,
    the waiting connections get the error, as they did when the one holding the lock got it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pump = None
        self._waiting = Counter()

    async def receive(self, channel):
        if "!" not in channel:
            return await super().receive(channel)
        assert self.require_valid_channel_name(channel)
        loop, pump = asyncio.get_running_loop(), self._pump
        if pump is not None and not pump.done() and pump.get_loop() is not loop and not pump.get_loop().is_closed():
            raise RuntimeError("Two event loops are trying to receive() on one channel layer at once!")
        queue = self.receive_buffer[channel]
        self._waiting[channel] += 1
        try:
            if pump is None or pump.done() or pump.get_loop() is not loop:
                self._pump = loop.create_task(self._take_messages(self.non_local_name(channel)))
            message = await queue.get()
        except asyncio.CancelledError:
            self._stop_waiting(channel)
            self.receive_buffer.pop(channel, None)
            if not self._waiting and self._pump is not None:
                self._pump.cancel()
            raise
        self._stop_waiting(channel)
        if queue.empty() and self.receive_buffer.get(channel) is queue:
            del self.receive_buffer[channel]
        if isinstance(message, _Failure):
            raise message.error
        return message

    def _stop_waiting(self, channel):
        self._waiting[channel] -= 1
        if self._waiting[channel] <= 0:
            del self._waiting[channel]

    async def _take_messages(self, process_channel):
        try:
            while self._waiting:
                channels, message = await self.receive_single(process_channel)
                for channel in channels if isinstance(channels, list) else [channels]:
                    self.receive_buffer[channel].put_nowait(message)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - handed to every waiting connection, which raises it
            for channel, count in self._waiting.items():
                for _waiter in range(count):
                    self.receive_buffer[channel].put_nowait(_Failure(error))
