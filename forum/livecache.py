"""Live posts rendered once per event and variant of viewer in a process, not once per connection.

What a post looks like depends on who looks: whether they wrote it, may moderate, write,
report, accept an answer, which reactions are theirs, whether it is new to them, and their
language. Each connection works those facts out once (`Viewer`, from `forum.permissions`,
again whenever access may have changed); readers with the same facts get the same HTML, so
the first of them renders it and the others in the process wait for that rendering. With Redis,
the server processes share their renderings too: one process renders a variant for all of them.
"""

import asyncio
import hashlib
import json
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.utils import translation

from . import live, permissions, rendering, selectors
from .models import Post, Topic

# Events arrive in order and are rendered within moments; older entries are never asked for again.
KEEP_RENDERED = 256
# How long a process waits, pause by pause, for another process's rendering of a frame before it
# renders the frame itself (the other may have died); a rendering takes a few milliseconds.
SHARED_PAUSES = (0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512)
SHARED_SECONDS = 60
# Stands for "the post no longer exists" in the shared cache, where None means "not there".
_GONE = ""


@dataclass(frozen=True)
class Viewer:
    """What a post's rendering depends on for one connection's user, besides the post itself.

    Whether the post's content shows (hidden, deleted) follows from these facts in rendering;
    that the user may see the topic at all was checked when this viewer was worked out.
    """

    user_id: int | None
    language: str
    topic_state: tuple
    read_number: int
    can_reply: bool
    can_moderate: bool
    can_accept: bool
    # The post's own permission flags, for someone else's post and, if logged in, for their own.
    post_flags: tuple

    def variant(self, event):
        """The key of the rendering this viewer gets for a post event."""
        own = self.user_id is not None and event["author_id"] == self.user_id
        mine = tuple(sorted(kind for user_id, kind in event["reactions"] if user_id == self.user_id))
        is_new = self.user_id is not None and event["number"] > self.read_number
        return (
            self.language, self.user_id is not None, own, self.post_flags[own],
            self.can_reply, self.can_moderate, self.can_accept, mine, is_new,
        )  # fmt: skip


def viewer(user, topic, language):
    """The viewer for `user`, who may see `topic`."""
    return Viewer(
        user_id=user.pk if user.is_authenticated else None,
        language=language,
        topic_state=tuple(live.topic_state(topic)),
        read_number=selectors.read_number(user, topic),
        can_reply=permissions.can_reply(user, topic),
        can_moderate=permissions.can_moderate_board(user, topic.board),
        can_accept=permissions.can_accept_answer(user, topic),
        post_flags=rendering.usual_post_flags(user, topic),
    )


def _render(user, topic_id, post_id, kind, language):
    """The frame for `user`'s variant, or None when the post is gone (deleted topic, moved away)."""
    topic = Topic.objects.select_related("board", "board__body").filter(pk=topic_id).first()
    posts = list(Post.objects.filter(topic_id=topic_id, pk=post_id).select_related("author", "author__organisation"))
    if topic is None or not posts:
        return None
    with translation.override(language):
        rendered = rendering.live_posts(user, topic, posts)
    return json.dumps({"type": "posts", "event": kind, "posts": rendered, "complete": True})


# The frames are rendered in one thread of their own that keeps its database connection: opening one
# (SQLite reads the whole schema, PostgreSQL authenticates) took a few milliseconds on the way of every
# live post to its readers (bench/README.md, live layer). Not the event loop's shared threads, whose
# connections Django closes after each call.
_renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-frames")
_renderer_connected = False


def _render_in_kept_connection(*arguments):
    global _renderer_connected
    _renderer_connected = True
    try:
        return _render(*arguments)
    except DatabaseError:
        # The kept connection broke (a restarted database server): once more on a new one. Only reads.
        connection.close()
        return _render(*arguments)


def close_kept_connection():
    """Closes the renderer's connection, in its thread: a test database cannot be dropped while it is open."""
    global _renderer_connected
    if _renderer_connected:
        # The connection proxy is looked up in the renderer's thread, which owns the connection.
        _renderer.submit(lambda: connection.close()).result()
        _renderer_connected = False


_rendered = OrderedDict()


async def _render_once(event, kind, viewer_, user, key):
    """The frame, rendered by the one process that claims the key first; the others take it from the
    shared cache, as the readers in a process do from the first of them."""
    loop = asyncio.get_running_loop()

    async def render(*arguments):
        return await loop.run_in_executor(_renderer, _render_in_kept_connection, *arguments)

    arguments = (user, event["topic_id"], event["post_id"], kind, viewer_.language)
    if not live.cache_is_shared():
        return await render(*arguments)
    cache = caches["default"]
    digest = hashlib.blake2b(repr(key).encode(), digest_size=20).hexdigest()
    shared_key = f"forum.live.frame.{digest}"
    if not await live.ask_cache(cache.add, f"{shared_key}.claimed", True, SHARED_SECONDS):
        for pause in SHARED_PAUSES:
            await asyncio.sleep(pause)
            shared = await live.ask_cache(cache.get, shared_key)
            if shared is not None:
                return shared or None
    frame = await render(*arguments)
    await live.ask_cache(cache.set, shared_key, frame or _GONE, SHARED_SECONDS)
    return frame


def frame_future(event, kind, viewer_, user):
    """The future of the `posts` frame for this viewer, shared with every viewer of its variant in this
    process (and, with Redis, rendered by one process for all); its result is None when the post no
    longer exists."""
    key = (event["render_id"], viewer_.variant(event))
    future = _rendered.get(key)
    if future is None or future.get_loop() is not asyncio.get_running_loop():
        # A task of its own: a waiting connection that closes must not cancel the others' rendering.
        # It only reads, so it need not queue behind the request that wrote the post (which is still
        # finishing on the shared thread when the event arrives).
        future = asyncio.ensure_future(_render_once(event, kind, viewer_, user, key))
        _rendered[key] = future
        while len(_rendered) > KEEP_RENDERED:
            _rendered.popitem(last=False)
    return future


async def frame(event, kind, viewer_, user):
    """The `posts` frame for this viewer (see `frame_future`)."""
    future = frame_future(event, kind, viewer_, user)
    if future.done():
        # The usual case for all but the first reader of a variant: no waiting, so no shield either.
        return future.result()
    return await asyncio.shield(future)
