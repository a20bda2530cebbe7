"""Forum factories: boards, topics with posts, and one person per role."""

import itertools
import threading
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from forum import markdown
from forum.models import Board, Post, Topic
from network.models import Membership

from ..servers import free_port

_sequence = itertools.count(1)


@pytest.fixture
def make_board(db):
    def make(name=None, *, kind=Board.Kind.GENERAL, is_public=False, **fields):
        number = next(_sequence)
        name = name or f"Bereich {number}"
        return Board.objects.create(name=name, slug=f"bereich-{number}", kind=kind, is_public=is_public, **fields)

    return make


@pytest.fixture
def make_topic(db):
    """A topic with `posts` posts written directly (no services), so that big topics are cheap."""

    def make(board, author, *, title=None, posts=1, texts=None, **fields):
        title = title or f"Thema {next(_sequence)}"
        now = timezone.now()
        topic = Topic.objects.create(board=board, title=title, author=author, **fields)
        texts = texts or [f"Beitrag {number} zu **{title}**" for number in range(1, posts + 1)]
        Post.objects.bulk_create(
            Post(
                topic=topic,
                number=number,
                author=author,
                markdown=text,
                html=markdown.render(text),
                created_at=now - timezone.timedelta(seconds=len(texts) - number),
            )
            for number, text in enumerate(texts, start=1)
        )
        Topic.objects.filter(pk=topic.pk).update(post_count=len(texts), last_post_number=len(texts), last_post_at=now)
        Board.objects.filter(pk=board.pk).update(topic_count=board.topic_count + 1, last_topic=topic, last_post_at=now)
        topic.refresh_from_db()
        return topic

    return make


@pytest.fixture
def closed_board(closed_body):
    return closed_body.forum_board


@pytest.fixture
def open_board(open_body):
    return open_body.forum_board


@pytest.fixture
def other_moderator(make_user, open_body, add_member, with_totp):
    user = make_user(display_name="Olga Andere")
    add_member(user, open_body, Membership.Role.MODERATOR)
    with_totp(user)
    return user


@pytest.fixture
def coordination(coordinator, with_totp):
    with_totp(coordinator)
    return coordinator


ROLES = ["anonymous", "pending", "professional", "member", "other_moderator", "moderator", "coordination"]


@pytest.fixture
def person(request):
    """The person for a role name, or None for an anonymous visitor."""

    def get(role):
        if role == "anonymous":
            return None
        fixture = {"pending": "pending_user", "professional": "professional"}.get(role, role)
        return request.getfixturevalue(fixture)

    return get


@pytest.fixture
def client_for(client, person):
    def make(role):
        user = person(role)
        if user is not None:
            client.force_login(user)
        return client

    return make


# Live layer ------------------------------------------------------------------------------


@pytest.fixture
def fresh_channel_layer(settings):
    """A new in-memory layer per test: its queues belong to the event loop of the test that made them."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
async def live_socket(fresh_channel_layer):
    """Open WebSocket connections to the forum the way a browser does, logged in with a session cookie."""
    from asgiref.sync import sync_to_async
    from channels.auth import AuthMiddlewareStack
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator
    from django.conf import settings
    from django.test import Client

    from config.routing import websocket_urlpatterns

    application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
    opened = []

    def session_cookie(user):
        browser = Client()
        browser.force_login(user)
        return browser.cookies[settings.SESSION_COOKIE_NAME].value

    async def connect(path, user=None, *, expect_accept=True):
        headers = []
        if user is not None:
            cookie = await sync_to_async(session_cookie)(user)
            headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
        communicator = WebsocketCommunicator(application, path, headers=headers)
        opened.append(communicator)
        connected, _subprotocol = await communicator.connect(timeout=3)
        assert connected
        return communicator

    yield connect
    for communicator in opened:
        await communicator.disconnect()


# Browsers on a live server ------------------------------------------------------------------


@pytest.fixture(scope="session")
def daphne_server():
    """Daphne in a thread of this process: pytest-django's live_server speaks no WebSocket, and a
    separate process could not see the in-memory test database. Twisted's reactor cannot be started
    twice in a process, so one server serves every browser test of the session."""
    from channels.auth import AuthMiddlewareStack
    from channels.routing import ProtocolTypeRouter, URLRouter
    from daphne.server import Server
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application
    from twisted.internet import reactor

    from config.routing import websocket_urlpatterns

    application = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
        }
    )
    port = free_port()
    server = Server(application, endpoints=[f"tcp:port={port}:interface=127.0.0.1"], signal_handlers=False)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.listening_addresses and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=5)


@pytest.fixture
def daphne_url(transactional_db, daphne_server):
    return daphne_server


def page_for(browser, base_url, user, *, width=1280):
    """A page in its own browser context, logged in as `user`."""
    django_client = Client()
    django_client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": django_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context.new_page()
