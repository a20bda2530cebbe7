"""WebSocket endpoint of the forum: authenticate, check access, join groups, relay.

One consumer serves three kinds of page: a topic (new and edited posts, typing, readers),
the board list (unread counts) and every other forum page (only the notification badge).
"""

import asyncio
import contextlib
import json
import logging
import time

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.consumers import SequentialWebsocketConsumer

from . import live, livecache, permissions, presence, rendering, selectors
from .models import Poll, Topic

logger = logging.getLogger(__name__)

# Close codes in the private range (4000–4999); live.js does not reconnect after these.
CLOSE_LOGIN_REQUIRED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
# The channel layer was lost (like HTTP 503): live.js reconnects with back-off and catches up.
# Daphne lets an application close only with 1000 or 3000–4999.
CLOSE_RECONNECT = 4503

MAX_FRAME_BYTES = 4096
MAX_CATCH_UP_POSTS = 100
# Of the posts a reconnecting page shows, it names the versions of at most this many (its last ones).
MAX_SHOWN_VERSIONS = 100
TYPING_THROTTLE_SECONDS = 2.0

POST_EVENTS = {"forum.post_created": "created", "forum.post_edited": "edited"}
# Group messages whose handlers only send what the message and the connection already hold.
SENT_AS_THEY_ARE = {"forum.readers", "forum.typing"}


# Database work, run in a worker thread ------------------------------------------------


def _fresh_user(user):
    """The user as stored now: role caches on the connection's user object would hide lost access."""
    if not user.is_authenticated:
        return user
    fresh = get_user_model().objects.filter(pk=user.pk, is_active=True).first()
    return fresh or AnonymousUser()


def _topic(topic_id):
    return Topic.objects.select_related("board", "board__body").filter(pk=topic_id).first()


def _topic_viewer(user, topic_id, language):
    """(close code or None, how `user` sees the topic's posts)."""
    topic = _topic(topic_id)
    if topic is None:
        return CLOSE_NOT_FOUND, None
    if not permissions.can_see_topic(user, topic):
        return (CLOSE_FORBIDDEN if user.is_authenticated else CLOSE_LOGIN_REQUIRED), None
    return None, livecache.viewer(user, topic, language)


def _visible_board_ids(user):
    return set(permissions.visible_boards(user).values_list("pk", flat=True))


def _catch_up(user, topic_id, after_id, shown_versions):
    """For a page that reconnects: (the posts it shows that changed meanwhile, the posts after
    `after_id`), rendered for `user`; None when the topic is out of reach now."""
    topic = _topic(topic_id)
    if topic is None or not permissions.can_see_topic(user, topic):
        return None
    changed = selectors.posts_changed_since(topic, shown_versions) if shown_versions else []
    new = selectors.posts_after(topic, after_id, MAX_CATCH_UP_POSTS + 1)
    rendered = rendering.live_posts(user, topic, changed + new)
    return rendered[: len(changed)], rendered[len(changed) :]


def _shown_versions(value):
    """{post id: live_version} from a resume frame's `shown` ({"123": "0", …}), or None if malformed."""
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_SHOWN_VERSIONS:
        return None
    versions = {}
    for post_id, version in value.items():
        if not (post_id.isascii() and post_id.isdigit() and len(post_id) <= 18 and isinstance(version, str)):
            return None
        versions[int(post_id)] = version
    return versions


def _poll_results(user, poll_id, language):
    """The poll's results block as `user` may see it now, or None when the topic is out of reach."""
    poll = Poll.objects.select_related("topic", "topic__board", "topic__board__body").filter(pk=poll_id).first()
    if poll is None or not permissions.can_see_topic(user, poll.topic):
        return None
    with translation.override(language):
        return render_to_string("forum/_poll_results.html", {"view": selectors.poll_view(user, poll)})


def _unread_label(user, board_id):
    count = selectors.unread_topic_counts(user, [board_id]).get(board_id, 0)
    label = ngettext("%(counter)s ungelesenes Thema", "%(counter)s ungelesene Themen", count) % {"counter": count}
    return count, label


class ForumConsumer(SequentialWebsocketConsumer):
    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        # Chosen by the route: "topic", "boards" or "badge".
        self.page = page
        self.present = False

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except live.LAYER_ERRORS as error:
            # Redis went away under this connection. Its groups may be lost, so it cannot simply carry
            # on: the page is told to reconnect, which joins again and fetches the posts it missed.
            logger.warning("Live connection dropped, channel layer unreachable: %s", error)
            presence.heartbeat().discard(self)
            await send({"type": "websocket.close", "code": CLOSE_RECONNECT})

    async def connect(self):
        self.user = self.scope["user"]
        self.language = self._language()
        self.groups_joined = set()
        self.topic_id = self.scope["url_route"]["kwargs"].get("topic_id")
        self.viewer = None
        self.last_typing = 0.0
        self.readers = None
        if self.page == "topic":
            code = await self._see_topic()
        else:
            # Unread counts and the badge are personal; anonymous visitors have neither.
            code = None if self.user.is_authenticated else CLOSE_LOGIN_REQUIRED
        if code is not None:
            # Accepted first so that the code reaches the browser; a refused handshake only says 403.
            await self.accept()
            await self.close(code=code)
            return
        # Read before joining: a restart after this point changes the mark, and the heartbeat notices.
        self.epoch = await presence.layer_epoch()
        if self.page == "topic":
            await self._join(live.topic_group(self.topic_id))
        elif self.page == "boards":
            for board_id in await database_sync_to_async(_visible_board_ids)(self.user):
                await self._join(live.board_group(board_id))
        await self._join(live.EVERYONE_GROUP)
        if self.user.is_authenticated:
            await self._join(live.user_group(self.user.pk))
        # Accepted only now: whatever happens after the browser sees the connection open reaches it.
        await self.accept()
        if self.page == "topic":
            # Kept: the user may turn anonymous on lost access, and the goodbye must name the same entry.
            self.presence_key = f"user:{self.user.pk}" if self.user.is_authenticated else f"channel:{self.channel_name}"
            readers = await presence.arrive(self.channel_layer, self.topic_id, self.presence_key, self.channel_name)
            self.present = True
            # Told here, not by a broadcast to everyone: the others hear of a change at most once an interval.
            await self._show_readers(readers)
        presence.heartbeat().add(self)

    async def disconnect(self, code):
        await self._leave_everything()

    async def _leave_everything(self):
        presence.heartbeat().discard(self)
        if self.present:
            self.present = False
            await presence.leave(self.channel_layer, self.topic_id, self.presence_key, self.channel_name)
        for group in list(self.groups_joined):
            await self._leave(group)

    async def _close(self, code):
        # Leave the groups at once: nothing more may arrive between losing access and the socket closing.
        await self._leave_everything()
        await self.close(code=code)

    async def _see_topic(self):
        """Work out again how this user sees the topic; the close code if they no longer may.

        A closed connection keeps no viewer: what is still queued for it is dropped.
        """
        code, self.viewer = await database_sync_to_async(_topic_viewer)(self.user, self.topic_id, self.language)
        return code

    async def _join(self, group):
        await self.join_group(group)
        self.groups_joined.add(group)

    async def _leave(self, group):
        await self.leave_group(group)
        self.groups_joined.discard(group)

    def _language(self):
        cookie = self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
        return cookie if cookie in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    async def _send_json(self, message):
        await self.send(text_data=json.dumps(message))

    async def _error(self, message):
        await self._send_json({"type": "error", "message": message})

    # From the browser ----------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        with translation.override(self.language):
            if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
                await self._error(_("Die Nachricht ist zu groß oder kein Text und wurde verworfen."))
                return
            try:
                message = json.loads(text_data)
            except ValueError:
                message = None
            if not isinstance(message, dict):
                await self._error(_("Die Nachricht ist kein gültiges JSON-Objekt."))
                return
            handler = {"typing": self._typing, "resume": self._resume}.get(message.get("type"))
            if handler is None or self.page != "topic":
                await self._error(_("Diese Art von Nachricht wird nicht unterstützt."))
                return
            await handler(message)

    async def _typing(self, message):
        now = time.monotonic()
        # The connection's own clock spares the shared one a question per keystroke burst.
        if self.viewer is None or not self.viewer.can_reply or now - self.last_typing < TYPING_THROTTLE_SECONDS:
            return
        self.last_typing = now
        # One announcement per person, however many tabs or server processes they type from.
        if not await presence.may_announce_typing(self.topic_id, self.user.pk, TYPING_THROTTLE_SECONDS):
            return
        await live.send_safely(
            self.channel_layer,
            {"type": "forum.typing", "user_id": self.user.pk, "name": self.user.public_name},
            group=live.topic_group(self.topic_id),
        )

    async def _resume(self, message):
        last_post_id = message.get("last_post_id")
        if isinstance(last_post_id, bool) or not isinstance(last_post_id, int) or last_post_id < 0:
            await self._error(_("„last_post_id“ muss eine nicht negative ganze Zahl sein."))
            return
        shown_versions = _shown_versions(message.get("shown"))
        if shown_versions is None:
            await self._error(
                _("„shown“ muss höchstens %(limit)d Beitrags-IDs mit ihrer Fassung nennen.")
                % {"limit": MAX_SHOWN_VERSIONS}
            )
            return
        # The group was joined on connect, before this query: a post committed meanwhile comes
        # both ways at worst, and the client drops the second copy by its id.
        caught_up = await database_sync_to_async(_catch_up)(self.user, self.topic_id, last_post_id, shown_versions)
        if caught_up is None:
            await self._close(CLOSE_FORBIDDEN)
            return
        changed, posts = caught_up
        if changed:
            await self._send_json({"type": "posts", "event": "edited", "posts": changed, "complete": True})
        complete = len(posts) <= MAX_CATCH_UP_POSTS
        await self._send_json(
            {"type": "posts", "event": "resume", "posts": posts[:MAX_CATCH_UP_POSTS], "complete": complete}
        )

    # From the channel layer ----------------------------------------------------------

    @classmethod
    def hand_out(cls, consumers, message):
        """A post, the reader count or someone typing, for this process's readers of a topic: each
        idle reader whose view of the topic still holds is sent the frame from one task, without
        waking its own; the others take the message from their inbox, in turn."""
        kind = POST_EVENTS.get(message["type"])
        if kind is None and message["type"] not in SENT_AS_THEY_ARE:
            super().hand_out(consumers, message)
            return
        held = []
        for consumer in consumers:
            if consumer._takes_at_once(message, kind) and consumer.hold():
                held.append(consumer)
            else:
                consumer.offer(message)
        if held:
            asyncio.get_running_loop().create_task(cls._send_to_held(held, message, kind))

    def _takes_at_once(self, event, kind):
        if kind is None:
            return True
        return (
            self.page == "topic"
            and self.viewer is not None
            and event["topic_id"] == self.topic_id
            and tuple(event["topic_state"]) == self.viewer.topic_state
        )

    @classmethod
    async def _send_to_held(cls, held, event, kind):
        try:
            if kind is None:
                for consumer in held:
                    await consumer.dispatch(event)
                return
            # Each variant is rendered once, all of them side by side, before the first frame goes out.
            frames = [livecache.frame_future(event, kind, consumer.viewer, consumer.user) for consumer in held]
            await asyncio.wait(set(frames))
            for consumer, frame in zip(held, frames, strict=True):
                if frame.exception() is not None:
                    logger.error("Live post %s not rendered", event["post_id"], exc_info=frame.exception())
                    # Reconnecting, the page asks for what it missed.
                    await consumer._close(CLOSE_RECONNECT)
                elif frame.result() is not None:
                    await consumer.send(text_data=frame.result())
        finally:
            for consumer in held:
                consumer.release()

    async def _relay_post(self, event, kind):
        if self.page == "boards" and kind == "created":
            with translation.override(self.language):
                count, label = await database_sync_to_async(_unread_label)(self.user, event["board_id"])
            await self._send_json({"type": "unread", "board_id": event["board_id"], "count": count, "label": label})
        elif self.page == "topic" and event["topic_id"] == self.topic_id and self.viewer is not None:
            # The topic was locked, closed, moved or its author changed since this viewer was worked out.
            if tuple(event["topic_state"]) != self.viewer.topic_state:
                code = await self._see_topic()
                if code is not None:
                    await self._close(code)
                    return
            frame = await livecache.frame(event, kind, self.viewer, self.user)
            if frame is not None:
                await self.send(text_data=frame)

    async def forum_post_created(self, event):
        await self._relay_post(event, "created")

    async def forum_post_edited(self, event):
        await self._relay_post(event, "edited")

    async def forum_typing(self, event):
        # Every tab of the person typing stays quiet: nobody needs to be told that they are typing.
        if event["user_id"] != self.user.pk:
            await self._send_json({"type": "typing", "user_id": event["user_id"], "name": event["name"]})

    async def forum_poll_changed(self, event):
        if self.viewer is None:
            return
        html = await database_sync_to_async(_poll_results)(self.user, event["poll_id"], self.language)
        if html is not None:
            await self._send_json({"type": "poll", "poll_id": event["poll_id"], "html": html})

    async def forum_notifications_changed(self, event):
        count = await database_sync_to_async(selectors.unread_notification_count)(self.user)
        await self._send_json({"type": "notifications", "count": count})

    async def forum_access_changed(self, event):
        """Membership, suspension, visibility or the topic itself changed: ask again, leave what is gone."""
        self.user = await database_sync_to_async(_fresh_user)(self.user)
        if self.page == "topic":
            code = await self._see_topic()
            if code is not None:
                await self._close(code)
        elif not self.user.is_authenticated:
            await self._close(CLOSE_LOGIN_REQUIRED)
        elif self.page == "boards":
            visible = {live.board_group(pk) for pk in await database_sync_to_async(_visible_board_ids)(self.user)}
            joined = {group for group in self.groups_joined if group.startswith("forum.board.")}
            for group in joined - visible:
                await self._leave(group)
            for group in visible - joined:
                await self._join(group)

    # Heartbeat (`forum.presence.Heartbeat`, for all connections of the process): readers of a topic
    # are counted, announced to the group on change; the shared server must still hold the groups ---

    async def groups_lost(self):
        """Told by the heartbeat: the shared server lost this connection's groups, or cannot be reached."""
        logger.warning("Live connection sent to reconnect: the channel layer lost its groups")
        # Whatever is left of the groups goes when the page has gone; a dead server needs no goodbye.
        with contextlib.suppress(*live.LAYER_ERRORS):
            await self._leave_everything()
        await self.close(code=CLOSE_RECONNECT)

    async def forum_readers(self, event):
        presence.heard(self.topic_id, event["count"])
        await self._show_readers(event["count"])

    async def _show_readers(self, count):
        if count != self.readers:
            self.readers = count
            await self._send_json({"type": "readers", "count": count})
