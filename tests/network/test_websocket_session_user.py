"""A WebSocket learns its user from the session cookie once, and sends its frames without a wrapper."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from network.websocket import session_user_stack

pytestmark = pytest.mark.django_db(transaction=True)


class Inner:
    """Records what the application behind the middleware is given, and accepts."""

    def __init__(self):
        self.scope = None
        self.send = None

    async def __call__(self, scope, receive, send):
        self.scope, self.send = scope, send
        await receive()
        await send({"type": "websocket.accept"})


def _cookie(user):
    browser = Client()
    browser.force_login(user)
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


async def _open(cookie):
    inner = Inner()
    headers = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())] if cookie else []
    socket = WebsocketCommunicator(session_user_stack(inner), "/ws/", headers=headers)
    connected, _ = await socket.connect()
    assert connected
    await socket.disconnect()
    return inner, socket


async def test_the_session_cookie_names_the_user_and_frames_go_out_unwrapped(member):
    inner, socket = await _open(await sync_to_async(_cookie)(member))

    assert inner.scope["user"] == member
    assert inner.scope["session"].session_key
    # The server's own `send`: nothing looks at the session for each frame.
    assert inner.send == socket.output_queue.put


async def test_a_session_of_a_changed_password_is_anonymous(member):
    cookie = await sync_to_async(_cookie)(member)
    member.set_password("ein-ganz-neues-Passwort-2026")
    await sync_to_async(member.save)()

    inner, _socket = await _open(cookie)

    assert isinstance(inner.scope["user"], AnonymousUser)


async def test_without_a_cookie_the_visitor_is_anonymous():
    inner, _socket = await _open(None)

    assert isinstance(inner.scope["user"], AnonymousUser)
