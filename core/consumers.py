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
"""

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer

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
        inbox: asyncio.Queue[Any] = asyncio.Queue(maxsize=INBOX_SIZE)
        feeders = [asyncio.ensure_future(_feed(source, inbox)) for source in sources]
        try:
            while True:
                message = await inbox.get()
                if isinstance(message, _SourceFailed):
                    raise message.error
                await self.dispatch(message)
        except StopConsumer:
            pass
        finally:
            for feeder in feeders:
                feeder.cancel()
            await asyncio.gather(*feeders, return_exceptions=True)

    async def dispatch(self, message: dict) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
