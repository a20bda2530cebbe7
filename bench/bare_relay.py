"""The live layer's limit: a bare Channels consumer that joins one group and relays what is sent to it.

Served by Daphne like the platform (`daphne bare_relay:application`, bench/ on PYTHONPATH) and
measured by the same client harness in the same run (live.py). No authentication, no permission
check, no database, no rendering: a WebSocket joins the group "topic" and receives one frame at
once (the harness counts a reader as joined at its first frame, as it does with the platform's
reader count); an HTTP POST to any path sends one `group_send` to that group and answers 302 with
a `/beitrag/<id>/` location, which is all the harness reads of the platform's reply view. The frame
carries a fixed post HTML of about the size the platform sends, so both move the same bytes.

What it keeps of the platform on purpose, because it is not application work: the same channel
layer (the platform's single-process in-memory layer, or its channels-redis layer when REDIS_URL is set)
and the same garbage-collector settings as config/asgi.py. The ratio ours ÷ limit is then the cost
of what the platform's consumer does per frame (access, rendering, JSON) and nothing else.
"""

import gc
import itertools
import json
import os

import django
from django.conf import settings

REDIS_URL = os.environ.get("REDIS_URL")
settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["channels"],
    CHANNEL_LAYERS={
        "default": {
            "BACKEND": "config.channel_layers.ProcessRedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 10, "max_connections": 1000}]},
        }
        if REDIS_URL
        else {"BACKEND": "config.channel_layers.SingleProcessChannelLayer"}
    },
)
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402

GROUP = "topic"
POST_HTML = (
    '<article class="post" id="beitrag-{id}"><header><a href="/personen/1/">Autorin</a> '
    '<time datetime="2026-12-04T17:00">4. Dezember 2026, 17:00</time></header>'
    '<div class="post-text"><p>Live-Antwort: Der Treffpunkt ist heute um <strong>{id}</strong> Uhr offen.</p></div>'
    '<footer><form method="post" action="/forum/beitrag/{id}/reaktion/"><button type="submit">Danke</button>'
    '</form><a href="/forum/beitrag/{id}/zitieren/">Zitieren</a></footer></article>'
)


class RelayConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()
        await self.send(text_data='{"type":"joined"}')

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def relay(self, event):
        await self.send(text_data=event["text"])


# Unique across the server processes of one configuration, as the platform's post ids are.
post_ids = itertools.count(os.getpid() * 1_000_000 + 1)


async def http(scope, receive, send):
    """GET: 200 (the harness waits for it); POST: one group_send, then 302 like the reply view."""
    while (await receive()).get("more_body"):
        pass
    headers, status = [(b"content-type", b"text/plain")], 200
    if scope["method"] == "POST":
        post_id = next(post_ids)
        frame = {"type": "posts", "event": "created", "posts": [{"id": post_id, "html": POST_HTML.format(id=post_id)}]}
        await get_channel_layer().group_send(GROUP, {"type": "relay", "text": json.dumps(frame)})
        headers.append((b"location", f"/forum/beitrag/{post_id}/".encode()))
        status = 302
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"ok"})


application = ProtocolTypeRouter({"http": http, "websocket": RelayConsumer.as_asgi()})

gc.collect()
gc.freeze()
gc.set_threshold(10_000, 20, 100)
