"""The forum's WebSocket routes; config/routing.py collects every app's."""

from django.urls import path

from .consumers import ForumConsumer

websocket_urlpatterns = [
    path("ws/forum/", ForumConsumer.as_asgi(page="badge")),
    path("ws/forum/uebersicht/", ForumConsumer.as_asgi(page="boards")),
    path("ws/forum/thema/<id:topic_id>/", ForumConsumer.as_asgi(page="topic")),
]
