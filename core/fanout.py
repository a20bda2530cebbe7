"""Group messages taken from the channel layer once per server process and handed to its connections.

With a channel of its own in every group, each connection had each group message delivered on its
own: the layer put a copy into hundreds of queues (with Redis: named hundreds of channels in the
message and in the group's member list), and a task per connection woke to move it into the
connection's inbox before the connection's own task woke to handle it. Here a process joins a group
once, with one channel of its own for that group, and hands what arrives to the connections that
joined the group in it: the connection class decides how (`SequentialWebsocketConsumer.hand_out`),
for most messages by putting them into the inboxes, for a live post by sending the frame to every
idle reader from one task (bench/README.md, live layer).

Each connection still joins through here and leaves through here, and the group's membership is
renewed by every join and once an hour, because the layers forget members after a day.
"""

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

logger = logging.getLogger(__name__)

RENEW_SECONDS = 3600.0


class Member(Protocol):
    @classmethod
    def hand_out(cls, members: list, message: dict) -> None: ...

    def fail(self, error: Exception) -> None: ...


class ProcessGroups:
    """The groups this process has joined on one channel layer, in one event loop."""

    def __init__(self, layer: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.layer = layer
        self.loop = loop
        self.members: dict[str, dict[Member, None]] = {}
        self.channels: dict[str, str] = {}
        self.receivers: dict[str, asyncio.Task] = {}
        # Joins and leaves of a group wait for each other: a leave that drops the process's channel
        # must not cross a join that counts on it.
        self.locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.renewer: asyncio.Task | None = None

    async def join(self, group: str, member: Member) -> None:
        async with self.locks[group]:
            channel = self.channels.get(group)
            if channel is None:
                channel = await self.layer.new_channel()
                self.channels[group] = channel
                self.receivers[group] = self.loop.create_task(self._receive(group, channel))
            # For every member, not only the first: it renews the membership, and after the layer's
            # server restarted it makes the process a member again.
            await self.layer.group_add(group, channel)
            self.members.setdefault(group, {})[member] = None
        if self.renewer is None or self.renewer.done():
            self.renewer = self.loop.create_task(self._renew())

    async def leave(self, group: str, member: Member) -> None:
        async with self.locks[group]:
            members = self.members.get(group)
            if members is None or member not in members:
                return
            del members[member]
            if members:
                return
            self._forget(group)
            channel = self.channels.pop(group)
            await self.layer.group_discard(group, channel)

    def _forget(self, group: str) -> None:
        self.members.pop(group, None)
        receiver = self.receivers.pop(group, None)
        if receiver is not None and receiver is not asyncio.current_task():
            receiver.cancel()

    async def _receive(self, group: str, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - each member ends with it, as with a channel of its own
                failed = list(self.members.get(group, ()))
                self._forget(group)
                self.channels.pop(group, None)
                for member in failed:
                    member.fail(error)
                return
            members = self.members.get(group)
            if members:
                for cls, of_class in _by_class(members):
                    try:
                        cls.hand_out(of_class, message)
                    except Exception:
                        logger.exception("Group message %s to %s not handed out", message.get("type"), group)

    async def _renew(self) -> None:
        while self.channels:
            await asyncio.sleep(RENEW_SECONDS)
            for group, channel in list(self.channels.items()):
                async with self.locks[group]:
                    if self.channels.get(group) == channel:
                        # A layer that is down now has lost the groups anyway: its connections notice
                        # (`forum.presence.layer_epoch`), reconnect and join again.
                        with contextlib.suppress(Exception):
                            await self.layer.group_add(group, channel)


def _by_class(members: Iterable[Member]) -> list[tuple[type[Member], list[Member]]]:
    classes: dict[type[Member], list[Member]] = {}
    for member in members:
        classes.setdefault(type(member), []).append(member)
    return list(classes.items())


def process_groups(layer: Any) -> ProcessGroups:
    """The groups of this process on `layer`, for the running event loop (tests run many loops)."""
    loop = asyncio.get_running_loop()
    groups = getattr(layer, "_process_groups", None)
    if groups is None or groups.loop is not loop:
        groups = ProcessGroups(layer, loop)
        layer._process_groups = groups
    return groups
