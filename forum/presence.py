"""Who is reading a topic right now, and who may say that they are typing.

Each connection records itself in a shared reader set when it opens and at every heartbeat,
and removes itself when it closes; an entry a crashed process never removed expires after
2.5 heartbeats. The set lives in Redis when the cache is Redis, so every server process counts
the same readers, and in this process otherwise (one process is then all there is). A newcomer
is told the count on its own connection; the others hear of a change from one broadcast to the
topic's group, at most one per debounce interval and topic across all processes (a key in the
shared cache decides which process sends it): a join costs O(1) messages, however many read
along and however many processes serve them.

The heartbeat beats once an interval for all the connections of a process (`Heartbeat`): one
trip to the shared server records every reader entry of the process, a second reads the layer's
mark, instead of two trips through a worker thread for every connection.
"""

import asyncio
import time
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.cache import caches

from . import live


def interval():
    return getattr(settings, "FORUM_LIVE_PRESENCE_INTERVAL", 15.0)


def debounce():
    return getattr(settings, "FORUM_LIVE_READERS_DEBOUNCE", 1.0)


class _LocalReaders:
    def __init__(self):
        self.topics = defaultdict(dict)

    def record(self, topic_id, member, expires):
        self.topics[topic_id][member] = expires

    def record_many(self, entries, expires):
        for topic_id, member in entries:
            self.record(topic_id, member, expires)

    def remove(self, topic_id, member):
        self.topics[topic_id].pop(member, None)

    def count(self, topic_id, now):
        entries = self.topics[topic_id]
        for member in [member for member, expires in entries.items() if expires <= now]:
            del entries[member]
        return len({member.split(" ", 1)[0] for member in entries})


# Drops the expired entries and counts the distinct viewers in Redis itself: a newcomer asks for the
# count, and the members of a topic read by thousands are not worth sending over to be counted.
_COUNT_SCRIPT = """
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", ARGV[1])
local seen, readers = {}, 0
for _, member in ipairs(redis.call("ZRANGE", KEYS[1], 0, -1)) do
    local viewer = string.match(member, "^[^ ]*")
    if not seen[viewer] then
        seen[viewer] = true
        readers = readers + 1
    end
end
return readers
"""


class _RedisReaders:
    """A sorted set per topic: member "<viewer> <channel>", score the moment it expires."""

    def __init__(self, backend):
        # The cache's own connection pool: the same server and options, no second configuration.
        self.client = backend.client.get_client(write=True)
        self.backend = backend

    def key(self, topic_id):
        return self.backend.make_key(f"forum.readers.{topic_id}")

    def record(self, topic_id, member, expires):
        self.record_many([(topic_id, member)], expires)

    def record_many(self, entries, expires):
        members = defaultdict(dict)
        for topic_id, member in entries:
            members[topic_id][member] = expires
        with self.client.pipeline(transaction=False) as pipe:
            for topic_id, of_topic in members.items():
                key = self.key(topic_id)
                pipe.zadd(key, of_topic)
                # The whole set goes when its topic has been quiet for long.
                pipe.expire(key, int(2.5 * interval()) + 60)
            pipe.execute()

    def remove(self, topic_id, member):
        self.client.zrem(self.key(topic_id), member)

    def count(self, topic_id, now):
        return self.client.register_script(_COUNT_SCRIPT)(keys=[self.key(topic_id)], args=[now])


_local = _LocalReaders()


async def _readers(method, *args):
    readers = _RedisReaders(caches["default"]) if live.cache_is_shared() else _local
    return await live.ask_cache(getattr(readers, method), *args)


def _member(viewer, channel):
    return f"{viewer} {channel}"


async def count(topic_id):
    """Distinct people (or anonymous connections) reading the topic now."""
    return await _readers("count", topic_id, time.time())


# Per process and topic: the last count the topic's group heard of, this process's pending broadcast,
# and when this process last counted for the group.
_heard = {}
_pending = {}
_counted = defaultdict(float)


def heard(topic_id, readers):
    _heard[topic_id] = readers


def _schedule(layer, topic_id):
    """Broadcast the count if it changed, unless a broadcast of this process is pending: that one will."""
    loop = asyncio.get_running_loop()
    pending = _pending.get(topic_id)
    if pending is not None and not pending.done() and pending.get_loop() is loop:
        return
    _pending[topic_id] = loop.create_task(_broadcast(layer, topic_id))


async def _broadcast(layer, topic_id):
    task, loop = asyncio.current_task(), asyncio.get_running_loop()
    while True:
        # A process counts for the group at most once an interval: the joins, heartbeats and goodbyes
        # of its readers meanwhile wait for that count.
        await asyncio.sleep(max(0.0, _counted[topic_id] + debounce() - loop.time()))
        # From here on a change starts the next broadcast instead of joining this one.
        if _pending.get(topic_id) is task:
            del _pending[topic_id]
        _counted[topic_id] = loop.time()
        readers = await count(topic_id)
        if readers == _heard.get(topic_id):
            return
        # One broadcast per interval and topic, whichever process sends it: while thousands join a
        # topic served by several processes, each of them would otherwise send its own every interval.
        key = f"forum.readers.announced.{topic_id}"
        if await live.ask_cache(caches["default"].add, key, True, debounce()):
            _heard[topic_id] = readers
            await live.send_safely(layer, {"type": "forum.readers", "count": readers}, group=live.topic_group(topic_id))
            return
        if topic_id in _pending:
            # A change since the count started a broadcast of its own; it counts after this one did.
            return
        # Another process has announced within the interval: count again once it is over, unless what
        # that process announced is the count by then. Changes meanwhile wait for this round.
        _pending[topic_id] = task


async def arrive(layer, topic_id, viewer, channel):
    """Records the newcomer and returns the count to tell it; the others hear of it by broadcast."""
    await _readers("record", topic_id, _member(viewer, channel), time.time() + 2.5 * interval())
    readers = await count(topic_id)
    _schedule(layer, topic_id)
    return readers


class Heartbeat:
    """The live connections of this process, told together once an interval whether they are still here.

    A beat records the reader entry of every connection on a topic page (which is also the moment to
    notice readers whose process died: their entries expire and the count changes) and reads the
    layer's mark once: the connections that remember another mark are told that their groups are gone.
    A connection is added once it has joined its groups and taken its mark (`epoch`), and discarded
    when it closes; what it offers: `present`, `topic_id`, `presence_key`, `channel_name`, `epoch`,
    `channel_layer` and `groups_lost()`.
    """

    def __init__(self, loop):
        self.loop = loop
        self.connections = {}
        self.task = None

    def add(self, connection):
        self.connections[connection] = None
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run())

    def discard(self, connection):
        self.connections.pop(connection, None)

    async def _run(self):
        while self.connections:
            await asyncio.sleep(interval())
            await self.beat()

    async def beat(self):
        connections = list(self.connections)
        present = [connection for connection in connections if connection.present]
        try:
            if present:
                entries = [(c.topic_id, _member(c.presence_key, c.channel_name)) for c in present]
                await _readers("record_many", entries, time.time() + 2.5 * interval())
            mark = await layer_epoch()
            lost = [connection for connection in connections if connection.epoch != mark]
        except live.LAYER_ERRORS:
            lost = connections
        for topic_id, layer in {c.topic_id: c.channel_layer for c in present}.items():
            _schedule(layer, topic_id)
        for connection in lost:
            self.discard(connection)
            # Each on its own: a connection's goodbye to a server that is down must not hold up the others'.
            self.loop.create_task(connection.groups_lost())


_heartbeat = None


def heartbeat():
    """The heartbeat of this process's connections in the running event loop (tests run many loops)."""
    global _heartbeat
    loop = asyncio.get_running_loop()
    if _heartbeat is None or _heartbeat.loop is not loop:
        _heartbeat = Heartbeat(loop)
    return _heartbeat


async def leave(layer, topic_id, viewer, channel):
    await _readers("remove", topic_id, _member(viewer, channel))
    _schedule(layer, topic_id)


EPOCH_KEY = "forum.live.epoch"


async def layer_epoch():
    """A mark that lasts as long as the shared server's memory does.

    The cache and the channel layer share one Redis server (REDIS_URL). A restarted server has
    lost every group with this mark; the first process to ask afterwards sets a new one, so a
    connection that remembers another mark knows that its groups may be gone.
    """
    backend = caches["default"]

    def read():
        mark = backend.get(EPOCH_KEY)
        if mark is None:
            # Several processes may get here at once; `add` lets one of them win.
            backend.add(EPOCH_KEY, uuid.uuid4().hex, timeout=None)
            mark = backend.get(EPOCH_KEY)
        return mark

    return await live.ask_cache(read)


async def may_announce_typing(topic_id, user_id, seconds):
    """True at most once per `seconds` for a person in a topic, across all their tabs and processes."""
    return await live.ask_cache(caches["default"].add, f"forum.typing.{topic_id}.{user_id}", True, seconds)
