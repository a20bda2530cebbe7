"""Forum factories: boards, topics with posts, and one person per role."""

import itertools
import threading
import time

import pytest
from django.conf import settings
from django.test import Client

from forum import rendering, search

from ..servers import free_port

_sequence = itertools.count(1)


ROLES = ["anonymous", "pending", "professional", "member", "other_moderator", "moderator", "coordination"]


# Browsers on a live server ------------------------------------------------------------------


@pytest.fixture(scope="session")
def daphne_server():
    """Daphne in a thread of this process: pytest-django's live_server speaks no WebSocket, and a
    separate process could not see the in-memory test database. Twisted's reactor cannot be started
    twice in a process, so one server serves every browser test of the session."""
    from channels.routing import ProtocolTypeRouter, URLRouter
    from daphne.server import Server
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application
    from twisted.internet import reactor

    from config.routing import websocket_urlpatterns
    from network.websocket import session_user_stack

    application = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": session_user_stack(URLRouter(websocket_urlpatterns)),
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


@pytest.fixture
def colleague(make_user, closed_body, add_member):
    """A second member of the closed body, beside `member`."""
    user = make_user(display_name="Kai Kollege")
    add_member(user, closed_body)
    return user


@pytest.fixture
def writer(make_user, closed_body, add_member):
    """A member of the closed body who writes the posts others read live."""
    user = make_user(display_name="Wanda Schreiber")
    add_member(user, closed_body)
    return user


@pytest.fixture
def indexed_topic(make_topic):
    """A topic written directly and indexed as the services index it (no flood limits for many topics)."""

    def topic(board, author, title, text):
        made = make_topic(board, author, title=title, texts=[text])
        search.index_topic(made)
        return made

    return topic


@pytest.fixture
def count_renderings(monkeypatch):
    """The ids of the users each live rendering of posts was made for, in order."""
    renderings = []
    original = rendering.live_posts

    def counting(user, topic, posts):
        renderings.append(user.pk)
        return original(user, topic, posts)

    monkeypatch.setattr(rendering, "live_posts", counting)
    return renderings
