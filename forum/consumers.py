"""WebSocket endpoint of the forum: authenticate, check access, join groups, relay.

One consumer serves three kinds of page: a topic (new and edited posts, typing, readers),
the board list (unread counts) and every other forum page (only the notification badge).
"""

import asyncio
import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import live, permissions, rendering, selectors
from .models import Post, Topic

# Close codes in the private range (4000–4999); live.js does not reconnect after these.
CLOSE_LOGIN_REQUIRED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404

MAX_FRAME_BYTES = 4096
MAX_CATCH_UP_POSTS = 100
TYPING_THROTTLE_SECONDS = 2.0


def presence_interval():
    return getattr(settings, "FORUM_LIVE_PRESENCE_INTERVAL", 15.0)


# Database work, run in a worker thread ------------------------------------------------


def _fresh_user(user):
    """The user as stored now: role caches on the connection's user object would hide lost access."""
    if not user.is_authenticated:
        return user
    fresh = get_user_model().objects.filter(pk=user.pk, is_active=True).first()
    return fresh or AnonymousUser()


def _topic(topic_id):
    return Topic.objects.select_related("board", "board__body").filter(pk=topic_id).first()


def _topic_access(user, topic_id):
    """(close code or None, topic, may write)."""
    topic = _topic(topic_id)
    if topic is None:
        return CLOSE_NOT_FOUND, None, False
    if not permissions.can_see_topic(user, topic):
        return (CLOSE_FORBIDDEN if user.is_authenticated else CLOSE_LOGIN_REQUIRED), None, False
    return None, topic, permissions.can_reply(user, topic)


def _visible_board_ids(user):
    return set(permissions.visible_boards(user).values_list("pk", flat=True))


def _live_posts(user, topic_id, post_ids=None, after_id=None):
    """Posts rendered for `user`, or None when the topic is out of reach now."""
    topic = _topic(topic_id)
    if topic is None or not permissions.can_see_topic(user, topic):
        return None
    if post_ids is not None:
        posts = list(
            Post.objects.filter(topic=topic, pk__in=post_ids).select_related("author", "author__organisation")
        )
    else:
        posts = selectors.posts_after(topic, after_id, MAX_CATCH_UP_POSTS + 1)
    return rendering.live_posts(user, topic, posts)


def _unread_label(user, board_id):
    count = selectors.unread_topic_counts(user, [board_id]).get(board_id, 0)
    label = ngettext("%(counter)s ungelesenes Thema", "%(counter)s ungelesene Themen", count) % {"counter": count}
    return count, label


class ForumConsumer(AsyncWebsocketConsumer):
    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        # Chosen by the route: "topic", "boards" or "badge".
        self.page = page

    async def connect(self):
        self.user = self.scope["user"]
        self.language = self._language()
        self.groups_joined = set()
        self.topic_id = self.scope["url_route"]["kwargs"].get("topic_id")
        self.may_write = False
        self.last_typing = 0.0
        self.peers = {}
        self.readers = None
        self.presence_task = None
        if self.page == "topic":
            code, _topic_obj, self.may_write = await database_sync_to_async(_topic_access)(self.user, self.topic_id)
        else:
            # Unread counts and the badge are personal; anonymous visitors have neither.
            code = None if self.user.is_authenticated else CLOSE_LOGIN_REQUIRED
        if code is not None:
            # Accepted first so that the code reaches the browser; a refused handshake only says 403.
            await self.accept()
            await self.close(code=code)
            return
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
            self.presence_task = asyncio.create_task(self._presence_heartbeat())

    async def disconnect(self, code):
        await self._leave_everything()

    async def _leave_everything(self):
        if self.presence_task is not None:
            self.presence_task.cancel()
            self.presence_task = None
            await self.channel_layer.group_send(
                live.topic_group(self.topic_id), {"type": "forum.presence_gone", "channel": self.channel_name}
            )
        for group in list(self.groups_joined):
            await self._leave(group)

    async def _close(self, code):
        # Leave the groups at once: nothing more may arrive between losing access and the socket closing.
        await self._leave_everything()
        await self.close(code=code)

    async def _join(self, group):
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.add(group)

    async def _leave(self, group):
        await self.channel_layer.group_discard(group, self.channel_name)
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
        if not self.may_write or now - self.last_typing < TYPING_THROTTLE_SECONDS:
            return
        self.last_typing = now
        await self.channel_layer.group_send(
            live.topic_group(self.topic_id),
            {"type": "forum.typing", "user_id": self.user.pk, "name": self.user.public_name},
        )

    async def _resume(self, message):
        last_post_id = message.get("last_post_id")
        if isinstance(last_post_id, bool) or not isinstance(last_post_id, int) or last_post_id < 0:
            await self._error(_("„last_post_id“ muss eine nicht negative ganze Zahl sein."))
            return
        # The group was joined on connect, before this query: a post committed meanwhile comes
        # both ways at worst, and the client drops the second copy by its id.
        posts = await database_sync_to_async(_live_posts)(self.user, self.topic_id, after_id=last_post_id)
        if posts is None:
            await self._close(CLOSE_FORBIDDEN)
            return
        complete = len(posts) <= MAX_CATCH_UP_POSTS
        await self._send_json(
            {"type": "posts", "event": "resume", "posts": posts[:MAX_CATCH_UP_POSTS], "complete": complete}
        )

    # From the channel layer ----------------------------------------------------------

    async def _relay_post(self, event, kind):
        with translation.override(self.language):
            if self.page == "boards" and kind == "created":
                count, label = await database_sync_to_async(_unread_label)(self.user, event["board_id"])
                await self._send_json({"type": "unread", "board_id": event["board_id"], "count": count, "label": label})
            elif self.page == "topic" and event["topic_id"] == self.topic_id:
                posts = await database_sync_to_async(_live_posts)(self.user, self.topic_id, post_ids=[event["post_id"]])
                if posts is None:
                    await self._close(CLOSE_FORBIDDEN)
                elif posts:
                    await self._send_json({"type": "posts", "event": kind, "posts": posts, "complete": True})

    async def forum_post_created(self, event):
        await self._relay_post(event, "created")

    async def forum_post_edited(self, event):
        await self._relay_post(event, "edited")

    async def forum_typing(self, event):
        # Every tab of the person typing stays quiet: nobody needs to be told that they are typing.
        if event["user_id"] != self.user.pk:
            await self._send_json({"type": "typing", "user_id": event["user_id"], "name": event["name"]})

    async def forum_notifications_changed(self, event):
        count = await database_sync_to_async(selectors.unread_notification_count)(self.user)
        await self._send_json({"type": "notifications", "count": count})

    async def forum_access_changed(self, event):
        """Membership, suspension, visibility or the topic itself changed: ask again, leave what is gone."""
        self.user = await database_sync_to_async(_fresh_user)(self.user)
        if self.page == "topic":
            code, _topic_obj, self.may_write = await database_sync_to_async(_topic_access)(self.user, self.topic_id)
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

    # Readers of a topic ----------------------------------------------------------------
    #
    # Every connection to a topic announces itself to the topic group when it joins and then
    # at a fixed interval, and says goodbye when it leaves. Each connection counts the distinct
    # readers it heard from within the last 2.5 intervals. The announcements travel through the
    # channel layer, so with Redis they reach connections in every process, and a process that
    # dies without goodbyes drops out of the count after the expiry. Nothing is stored.

    def _viewer_key(self):
        return f"user:{self.user.pk}" if self.user.is_authenticated else f"channel:{self.channel_name}"

    async def _presence_heartbeat(self):
        ask = True
        while True:
            await self.channel_layer.group_send(
                live.topic_group(self.topic_id),
                {"type": "forum.presence", "channel": self.channel_name, "viewer": self._viewer_key(), "ask": ask},
            )
            ask = False
            await asyncio.sleep(presence_interval())
            await self._report_readers()

    async def forum_presence(self, event):
        self.peers[event["channel"]] = (event["viewer"], time.monotonic() + 2.5 * presence_interval())
        if event["ask"] and event["channel"] != self.channel_name:
            # A newcomer should not wait a whole interval to learn who is already here.
            await self.channel_layer.send(
                event["channel"],
                {"type": "forum.presence", "channel": self.channel_name, "viewer": self._viewer_key(), "ask": False},
            )
        await self._report_readers()

    async def forum_presence_gone(self, event):
        self.peers.pop(event["channel"], None)
        await self._report_readers()

    async def _report_readers(self):
        now = time.monotonic()
        self.peers = {channel: entry for channel, entry in self.peers.items() if entry[1] > now}
        readers = len({viewer for viewer, _expires in self.peers.values()})
        if readers != self.readers:
            self.readers = readers
            await self._send_json({"type": "readers", "count": readers})
