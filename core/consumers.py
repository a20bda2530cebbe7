"""A WebSocket consumer whose messages reach their handlers with less work per message.

Channels runs every consumer through `channels.utils.await_many_dispatch`: for each message it
waits with `asyncio.wait` on two tasks (the browser and the channel layer) and then starts a new
task for the source that delivered. When one post goes to hundreds of readers in a process, that
is hundreds of `asyncio.wait` calls and new tasks per post, and it was about half of the server's
time per delivered frame (bench/README.md, live layer). Here each source has one long-lived task
that feeds a bounded inbox, and the consumer takes its messages from there one at a time, in the
order they arrived, exactly as before.

The inbox is bounded by the channel layer's capacity: a consumer that cannot keep up stops taking
from its layer queue, which then fills, and senders drop messages for it (`ChannelFull`) instead of
the process buffering without limit.

Groups joined with `join_group` are received once per process (`core.fanout`), which hands their
messages to `hand_out` of the members' class: into each inbox by default; a class whose handler for a
message only sends may instead `hold` the idle members and send to them all from one task.
"""

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer

from .fanout import process_groups

logger = logging.getLogger(__name__)

INBOX_SIZE = 100


class _SourceFailed:
    """What a feeding task puts into the inbox when its source raised: the consumer raises it in turn."""

    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


async def _feed(source: Callable[[], Awaitable[Any]], inbox: asyncio.Queue) -> None:
    try:
        while True:
            await inbox.put(await source())
    except Exception as error:  # noqa: BLE001 - handed to the consumer, which raises it where Channels would
        await inbox.put(_SourceFailed(error))


class SequentialWebsocketConsumer(AsyncWebsocketConsumer):
    """`AsyncWebsocketConsumer` with one feeding task per source instead of new tasks per message.

    Dispatch does not close stale database connections on a worker thread for every message, as
    Channels' own does: handlers reach the database only through `database_sync_to_async`, which
    does that itself.
    """

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        sources = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
            sources.append(self.channel_receive)
        self.inbox: asyncio.Queue[Any] = asyncio.Queue(maxsize=INBOX_SIZE)
        # Whether this consumer's own task is at a message (from taking it to having handled it), and
        # whether `hand_out` holds it; each waits for the other, so messages are handled in order.
        self._busy = False
        self._free = asyncio.Event()
        self._free.set()
        self._failure: Exception | None = None
        feeders = [asyncio.ensure_future(_feed(source, self.inbox)) for source in sources]
        try:
            while True:
                message = await self.inbox.get()
                self._busy = True
                if not self._free.is_set():
                    await self._free.wait()
                if isinstance(message, _SourceFailed):
                    raise message.error
                if self._failure is not None:
                    raise self._failure
                await self.dispatch(message)
                self._busy = False
        except StopConsumer:
            pass
        finally:
            for feeder in feeders:
                feeder.cancel()
            await asyncio.gather(*feeders, return_exceptions=True)

    async def join_group(self, group: str) -> None:
        """Join `group`, whose messages this process receives once for all its consumers."""
        await process_groups(self.channel_layer).join(group, self)

    async def leave_group(self, group: str) -> None:
        await process_groups(self.channel_layer).leave(group, self)

    @classmethod
    def hand_out(cls, consumers: list["SequentialWebsocketConsumer"], message: dict) -> None:
        """A group message for `consumers` of this class, the members of the group in this process."""
        for consumer in consumers:
            consumer.offer(message)

    def offer(self, message: dict) -> None:
        """Into the inbox; a consumer that cannot keep up loses the message, as with a full layer queue."""
        try:
            self.inbox.put_nowait(message)
        except asyncio.QueueFull:
            logger.warning("Live message %s dropped: inbox full", message.get("type"))

    def fail(self, error: Exception) -> None:
        """The group's source failed: this consumer ends with the error, as when its own channel fails
        (at the latest after the messages before it, when its inbox is full)."""
        self._failure = error
        with contextlib.suppress(asyncio.QueueFull):
            self.inbox.put_nowait(_SourceFailed(error))

    def hold(self) -> bool:
        """Reserve an idle consumer for a message sent to it directly: True if it had nothing earlier
        to handle; then its own task waits until `release`."""
        if self._busy or not self._free.is_set() or not self.inbox.empty():
            return False
        self._free.clear()
        return True

    def release(self) -> None:
        self._free.set()

    async def dispatch(self, message: dict) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
