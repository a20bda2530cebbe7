"""Events for the live layer: services and signal handlers call these after their transaction committed.

A post event carries ids and the few facts each receiver needs to decide for its own user
in which variant the post is shown (author, reactions, the topic's state);
the HTML itself is rendered on the receiving side, once per variant and process
(`forum.livecache`), so a message never carries anything its receiver may not see.
"""

import asyncio
import logging
import os
import threading
import uuid

from asgiref.sync import SyncToAsync, async_to_sync, sync_to_async
from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.cache import caches
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

from .models import Reaction

logger = logging.getLogger(__name__)

# What the channel layer (and the Redis cache beside it) raises while its server is down or restarting.
LAYER_ERRORS = (RedisError, OSError, TimeoutError)

# Changes that may take access away from anyone (a board's or body's visibility) go to every connection.
EVERYONE_GROUP = "forum.everyone"


def topic_group(topic_id):
    return f"forum.topic.{topic_id}"


def board_group(board_id):
    return f"forum.board.{board_id}"


def user_group(user_id):
    return f"forum.user.{user_id}"


def topic_state(topic):
    """The topic's fields that the permission rules read: a receiver whose view was worked out
    for another state works it out again before it shows the post."""
    return [topic.board_id, topic.is_hidden, topic.is_locked, topic.is_question, topic.author_id]


def cache_is_shared():
    """Whether the cache is Redis, which every server process shares (otherwise one process is all there is)."""
    return isinstance(caches["default"], RedisCache)


async def ask_cache(function, *args):
    """`function(*args)`, which asks the cache: Redis answers over the network, so then not in the
    event loop, and not in the thread kept for the database."""
    if not cache_is_shared():
        return function(*args)
    return await sync_to_async(function, thread_sensitive=False)(*args)


async def send_safely(layer, message, *, group=None, channel=None):
    """Send, but let a full queue cost one message, not the sender's connection.

    A reader that stops reading fills its queue; the ones sending to it must carry on.
    """
    try:
        if group is not None:
            await layer.group_send(group, message)
        else:
            await layer.send(channel, message)
    except ChannelFull:
        logger.warning("Live message %s to %s dropped: queue full", message.get("type"), group or channel)


async def _send_to_groups(layer, message, groups):
    for group in groups:
        await send_safely(layer, message, group=group)


_kept = threading.local()


def _serves_event_loop():
    """Whether this thread runs synchronous code for a server's event loop (a view under Daphne):
    async_to_sync then hands a coroutine to that loop, where the layer's consumers wait."""
    threadlocal = SyncToAsync.threadlocal
    return getattr(threadlocal, "main_event_loop", None) is not None and (
        getattr(threadlocal, "main_event_loop_pid", None) == os.getpid()
    )


def _run(layer, coroutine_function, *args):
    """Runs a coroutine of the layer from synchronous code.

    Without a server's event loop (the test client, a task worker, a management command)
    async_to_sync starts a thread and an event loop for every call, which cost a reply a third of a
    millisecond. The in-process layer does no I/O, so this thread keeps one loop for it instead; a
    Redis layer's connections belong to the loop they were opened in, and a kept loop would keep
    them past a restart of the server, so it gets a fresh loop each time, as before."""
    if _serves_event_loop() or not isinstance(layer, InMemoryChannelLayer):
        return async_to_sync(coroutine_function)(layer, *args)
    loop = getattr(_kept, "loop", None)
    if loop is None or loop.is_closed():
        loop = _kept.loop = asyncio.new_event_loop()
    return loop.run_until_complete(coroutine_function(layer, *args))


def _send(message, *groups):
    """`message` to each of `groups`, in one trip from this (synchronous) code to the event loop."""
    layer = get_channel_layer()
    if layer is None or not groups:
        return
    try:
        _run(layer, _send_to_groups, message, groups)
    except LAYER_ERRORS:
        # What changed is committed; open pages reconnect when the layer is back and ask for what they missed.
        logger.warning(
            "Live message %s to %s not sent: channel layer unreachable", message.get("type"), groups, exc_info=True
        )


def _send_post(post, event_type):
    topic = post.topic
    message = {
        "type": event_type,
        "post_id": post.pk,
        "topic_id": post.topic_id,
        "board_id": topic.board_id,
        "number": post.number,
        "author_id": post.author_id,
        "topic_state": topic_state(topic),
        # Reactions change only how the buttons look to the people who reacted; a new post has none.
        "reactions": (
            []
            if event_type == "forum.post_created"
            else [list(pair) for pair in Reaction.objects.filter(post=post).values_list("user_id", "kind")]
        ),
        # Every receiver in a process shares the rendering of this event for its variant.
        "render_id": uuid.uuid4().hex,
    }
    _send(message, topic_group(post.topic_id), board_group(topic.board_id))


def broadcast_post_created(post):
    """`post.topic` carries the state read under the topic's row lock when the post was counted
    (services._count_post): read again here, it would cost a query per post."""
    _send_post(post, "forum.post_created")


def broadcast_post_edited(post):
    post.topic.refresh_from_db(fields=["board", "is_hidden", "is_locked", "is_question", "author"])
    _send_post(post, "forum.post_edited")


def broadcast_notifications_changed(user_ids):
    _send({"type": "forum.notifications_changed"}, *(user_group(user_id) for user_id in set(user_ids)))


def broadcast_access_changed_for_user(user_id):
    _send({"type": "forum.access_changed"}, user_group(user_id))


def broadcast_access_changed_for_topic(topic_id):
    _send({"type": "forum.access_changed"}, topic_group(topic_id))


def broadcast_access_changed_for_everyone():
    _send({"type": "forum.access_changed"}, EVERYONE_GROUP)


def broadcast_poll_changed(topic_id, poll_id):
    """Receivers render the results for their own reader: who may see them depends on the person."""
    _send({"type": "forum.poll_changed", "poll_id": poll_id}, topic_group(topic_id))
