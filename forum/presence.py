"""Who is reading a topic right now, and who may say that they are typing.

Each connection records itself in a shared reader set when it opens and at every heartbeat,
and removes itself when it closes; an entry a crashed process never removed expires after
2.5 heartbeats. The set lives in Redis when the cache is Redis, so every server process counts
the same readers, and in this process otherwise (one process is then all there is). After a
change a process broadcasts the new count to the topic's group once, and at most once per
debounce interval per topic: a join costs O(1) messages, however many read along.
"""

import asyncio
import time
import uuid
from collections import defaultdict

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import caches
from django_redis.cache import RedisCache

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

    def remove(self, topic_id, member):
        self.topics[topic_id].pop(member, None)

    def members(self, topic_id, now):
        entries = self.topics[topic_id]
        for member in [member for member, expires in entries.items() if expires <= now]:
            del entries[member]
        return list(entries)


class _RedisReaders:
    """A sorted set per topic: member "<viewer> <channel>", score the moment it expires."""

    def __init__(self, backend):
        # The cache's own connection pool: the same server and options, no second configuration.
        self.client = backend.client.get_client(write=True)
        self.backend = backend

    def key(self, topic_id):
        return self.backend.make_key(f"forum.readers.{topic_id}")

    def record(self, topic_id, member, expires):
        key = self.key(topic_id)
        with self.client.pipeline() as pipe:
            pipe.zadd(key, {member: expires})
            # The whole set goes when its topic has been quiet for long.
            pipe.expire(key, int(2.5 * interval()) + 60)
            pipe.execute()

    def remove(self, topic_id, member):
        self.client.zrem(self.key(topic_id), member)

    def members(self, topic_id, now):
        key = self.key(topic_id)
        with self.client.pipeline() as pipe:
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zrange(key, 0, -1)
            return [member.decode() for member in pipe.execute()[1]]


_local = _LocalReaders()


async def _readers(method, *args):
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return getattr(_local, method)(*args)
    # Redis answers over the network: not in the event loop, and not in the thread kept for the database.
    return await sync_to_async(getattr(_RedisReaders(backend), method), thread_sensitive=False)(*args)


def _member(viewer, channel):
    return f"{viewer} {channel}"


async def count(topic_id):
    """Distinct people (or anonymous connections) reading the topic now."""
    members = await _readers("members", topic_id, time.time())
    return len({member.split(" ", 1)[0] for member in members})


# Per process and topic: the last count this process heard of, and its pending broadcast.
_heard = {}
_pending = {}
_last_sent = defaultdict(float)


def heard(topic_id, readers):
    _heard[topic_id] = readers


def _schedule(layer, topic_id, announce):
    """Broadcast the count once the debounce interval since the last broadcast is over.

    `announce`: a newcomer waits for a count, even an unchanged one; after a heartbeat or a
    goodbye only a change is worth a message.
    """
    loop = asyncio.get_running_loop()
    pending = _pending.get(topic_id)
    if pending is not None and not pending["task"].done() and pending["task"].get_loop() is loop:
        pending["announce"] = pending["announce"] or announce
        return
    pending = {"announce": announce}
    pending["task"] = loop.create_task(_broadcast(layer, topic_id, pending))
    _pending[topic_id] = pending


async def _broadcast(layer, topic_id, pending):
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, _last_sent[topic_id] + debounce() - loop.time()))
    # From here on a change starts the next broadcast instead of joining this one.
    if _pending.get(topic_id) is pending:
        del _pending[topic_id]
    readers = await count(topic_id)
    if pending["announce"] or readers != _heard.get(topic_id):
        _last_sent[topic_id] = loop.time()
        _heard[topic_id] = readers
        await live.send_safely(layer, {"type": "forum.readers", "count": readers}, group=live.topic_group(topic_id))


async def arrive(layer, topic_id, viewer, channel):
    await _readers("record", topic_id, _member(viewer, channel), time.time() + 2.5 * interval())
    _schedule(layer, topic_id, announce=True)


async def stay(layer, topic_id, viewer, channel):
    """The heartbeat: still here. Also the moment to notice readers whose process died."""
    await _readers("record", topic_id, _member(viewer, channel), time.time() + 2.5 * interval())
    _schedule(layer, topic_id, announce=False)


async def leave(layer, topic_id, viewer, channel):
    await _readers("remove", topic_id, _member(viewer, channel))
    _schedule(layer, topic_id, announce=False)


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

    if not isinstance(backend, RedisCache):
        return read()
    return await sync_to_async(read, thread_sensitive=False)()


async def may_announce_typing(topic_id, user_id, seconds):
    """True at most once per `seconds` for a person in a topic, across all their tabs and processes."""
    backend = caches["default"]
    key = f"forum.typing.{topic_id}.{user_id}"
    if not isinstance(backend, RedisCache):
        return backend.add(key, True, timeout=seconds)
    return await sync_to_async(backend.add, thread_sensitive=False)(key, True, timeout=seconds)
