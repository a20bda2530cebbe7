"""WebSocket routes of every app, collected in one place for the ASGI router: each app that has
live pages lists its own in `<app>/routing.py`."""

from forum import routing as forum_routing

websocket_urlpatterns = [*forum_routing.websocket_urlpatterns]
