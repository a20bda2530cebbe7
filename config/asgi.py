import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# Django must be set up before the routing (and with it the consumers' models) is imported.
django_asgi_app = get_asgi_application()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from forum import rendering  # noqa: E402
from forum.consumers import CLOSE_NOT_FOUND  # noqa: E402
from network.websocket import session_user_stack  # noqa: E402


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Without it the router raises "No route found" for a path it does not know, which the server logs
    as an application error. Like every refused socket here, it is accepted and closed at once with a
    4xxx code, so that the client learns why."""

    async def connect(self):
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            session_user_stack(URLRouter([*websocket_urlpatterns, re_path(r"", UnknownPathConsumer.as_asgi())]))
        ),
    }
)

# Compiled now, not while the readers of this process's first live post wait for it.
rendering.warm_up()

# A full garbage collection walks every object in the process. With hundreds of open WebSocket
# connections that pause delayed some live posts by 150 ms and more (bench/README.md, live
# protocol). What exists now (Django, the apps and their modules) lives as long as
# the process, so it leaves the collector's care, and young objects are collected less often.
gc.collect()
gc.freeze()
gc.set_threshold(10_000, 20, 100)
