"""Factories for the people and bodies of the network, shared by every test file."""

import itertools
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from forum import livecache, markdown
from forum.models import Board, Post, Topic
from network.access import COORDINATION_GROUP, EDITORS_GROUP
from network.models import District, Membership, NetworkBody, Organisation, Themenfeld, User

from .servers import in_ci
from .smtp import ObservingSink, SinkHandler, SinkWithout8BitMime, SinkWithPipelining, start_sink

_sequence = itertools.count(1)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# What `make test-fast` leaves out: tests that start a browser, servers or processes, the
# generated-input fuzzing, the crash and scale runs, and the catalogue check (makemessages).
SLOW_MARKERS = ("browser", "deployment", "redis", "postgres")
SLOW_MODULES = ("test_fuzz_", "test_live_scale", "test_crash", "test_translations")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        module = item.module.__name__.rpartition(".")[2]
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS) or module.startswith(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_source():
    if not AXE.exists():
        message = f"axe-core fehlt ({AXE.relative_to(AXE.parents[2])}): npm ci --no-audit --no-fund"
        if in_ci():
            pytest.fail(f"{message} (CI=true: the accessibility check must not be skipped)")
        pytest.skip(message)
    return AXE


@pytest.fixture
def artifacts():
    """Where browser tests leave their screenshots (git-ignored), for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def chromium(monkeypatch):
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not CHROMIUM.exists():
        pytest.skip("Chromium fehlt (/usr/bin/chromium): apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def generous_rate_limits(settings):
    """Tests write many posts quickly; the flood-control tests set their own limits."""
    settings.FORUM_POSTS_PER_WINDOW = 100_000
    settings.FORUM_POSTS_PER_WINDOW_NEW_ACCOUNT = 100_000
    settings.FORUM_TOPICS_PER_WINDOW = 100_000
    settings.FORUM_TOPICS_PER_WINDOW_NEW_ACCOUNT = 100_000


@pytest.fixture(autouse=True)
def live_frames_connection_closed():
    """The live renderer keeps its database connection between frames: closed after each test, so
    that no test's database (PostgreSQL refuses to drop one in use) outlives its last frame."""
    yield
    livecache.close_kept_connection()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test builds its own pages; cached navigation links must not leak from the one before."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db):
    def make(email=None, *, approved=True, verified=True, password="geheim-passwort-123", **fields):
        number = next(_sequence)
        email = email or f"person{number}@example.org"
        fields.setdefault("display_name", f"Person {number}")
        user = User.objects.create_user(
            email=email,
            password=password,
            approval=User.Approval.APPROVED if approved else User.Approval.PENDING,
            **fields,
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def make_organisation(db):
    def make(name=None, **fields):
        number = next(_sequence)
        name = name or f"Einrichtung {number}"
        fields.setdefault("slug", f"einrichtung-{number}")
        return Organisation.objects.create(name=name, **fields)

    return make


def square(west, south, size=0.01):
    """A closed GeoJSON square of `size` degrees from its south-west corner."""
    east, north = round(west + size, 6), round(south + size, 6)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def make_district(db):
    """A Quartier; its outline is a small square near Teltow unless one is given (None: not drawn)."""

    def make(name=None, outline="square", **fields):
        number = next(_sequence)
        name = name or f"Quartier {number}"
        fields.setdefault("slug", f"quartier-{number}")
        if outline == "square":
            outline = square(13.25 + 0.01 * (number % 10), 52.39)
        return District.objects.create(name=name, outline=outline, **fields)

    return make


@pytest.fixture
def make_body(db):
    def make(name=None, *, members_only=False, **fields):
        number = next(_sequence)
        name = name or f"Fokusgruppe {number}"
        fields.setdefault("slug", f"fokusgruppe-{number}")
        fields.setdefault(
            "visibility", NetworkBody.Visibility.MEMBERS if members_only else NetworkBody.Visibility.PROFESSIONALS
        )
        return NetworkBody.objects.create(name=name, **fields)

    return make


@pytest.fixture
def add_member(db):
    def add(user, body, role=Membership.Role.MEMBER):
        return Membership.objects.create(user=user, body=body, role=role)

    return add


@pytest.fixture
def themenfeld(db):
    return Themenfeld.objects.create(name="Bildung", slug="bildung")


@pytest.fixture
def open_body(make_body):
    """A focus group every professional may read and join."""
    return make_body("FG Schule", slug="fg-schule")


@pytest.fixture
def closed_body(make_body):
    """A body whose internals only its members see."""
    return make_body("Lenkungsrunde Sozialplanung", slug="lenkungsrunde", members_only=True)


@pytest.fixture
def member(make_user, closed_body, add_member):
    user = make_user(display_name="Mia Mitglied")
    add_member(user, closed_body)
    return user


@pytest.fixture
def moderator(make_user, closed_body, add_member, with_totp):
    """The closed body's moderation, with the second factor its role requires."""
    user = make_user(display_name="Moritz Moderation")
    add_member(user, closed_body, Membership.Role.MODERATOR)
    with_totp(user)
    return user


@pytest.fixture
def professional(make_user):
    return make_user("fachkraft@example.org")


@pytest.fixture
def pending_user(make_user):
    return make_user("neu@example.org", approved=False)


@pytest.fixture
def coordinator(make_user):
    user = make_user("koordination@example.org")
    user.groups.add(Group.objects.get_or_create(name=COORDINATION_GROUP)[0])
    return user


@pytest.fixture
def editor(make_user):
    user = make_user("redaktion@example.org")
    user.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    return user


@pytest.fixture
def with_totp(db):
    """Give a user a TOTP authenticator, as if they had set up their app."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def add(user):
        return TOTP.activate(user, generate_totp_secret())

    return add


# --- Added for the behaviour tests: the CMS page tree and one browser per person -------------


@pytest.fixture
def page_tree(db):
    """The site's skeleton: a home page served by the default Site, with every index page below it."""
    from types import SimpleNamespace

    from wagtail.models import Page, Site

    from cms.models import EventIndexPage, FormatIndexPage, HomePage, NetworkIndexPage, NewsIndexPage

    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(title="Sozialraumnetzwerk Teltow", slug="startseite", intro="<p>Gemeinsam im Sozialraum.</p>")
    )
    site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", is_default_site=True)
    site.root_page = home
    site.save()
    return SimpleNamespace(
        home=home,
        network=home.add_child(instance=NetworkIndexPage(title="Netzwerkgremien", slug="gremien")),
        formats=home.add_child(instance=FormatIndexPage(title="Formate", slug="formate")),
        news=home.add_child(instance=NewsIndexPage(title="Aktuelles", slug="aktuelles")),
        events=home.add_child(instance=EventIndexPage(title="Termine", slug="termine")),
    )


@pytest.fixture
def logged_in(db, with_totp):
    """A separate browser per person, so several people can act in one test; `logged_in(None)` is an
    anonymous visitor's (handy with the forum's `person(role)`).

    Roles that must use TOTP get an authenticator first; otherwise every page would be the setup redirect.
    """
    from django.test import Client

    from network.access import requires_second_factor
    from network.middleware import has_second_factor

    def login(user):
        if user is None:
            return Client()
        # A fresh copy: access caches roles on the user object, and the test may change them later.
        if requires_second_factor(User.objects.get(pk=user.pk)) and not has_second_factor(user):
            with_totp(user)
        browser = Client()
        browser.force_login(user)
        return browser

    return login


# Forum boards and topics, live sockets ------------------------------------------------


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


@pytest.fixture
def person(request):
    """The person for a role name, or None for an anonymous visitor."""

    def get(role):
        if role == "anonymous":
            return None
        fixture = {"pending": "pending_user", "professional": "professional"}.get(role, role)
        return request.getfixturevalue(fixture)

    return get


# Live layer ------------------------------------------------------------------------------


@pytest.fixture
def fresh_channel_layer(settings):
    """A new in-memory layer per test: its queues belong to the event loop of the test that made them."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
async def live_socket(fresh_channel_layer):
    """Open WebSocket connections to the forum the way a browser does, logged in with a session cookie."""
    from asgiref.sync import sync_to_async
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator
    from django.conf import settings
    from django.test import Client

    from config.routing import websocket_urlpatterns
    from network.websocket import session_user_stack

    application = session_user_stack(URLRouter(websocket_urlpatterns))
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


# A real SMTP server --------------------------------------------------------------------


def _sink(settings, handler_class):
    handler, controller = start_sink(handler_class=handler_class)
    settings.EMAIL_BACKEND = "core.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


@pytest.fixture
def smtp_sink(settings):
    yield from _sink(settings, SinkHandler)


@pytest.fixture
def smtp_sink_without_8bitmime(settings):
    yield from _sink(settings, SinkWithout8BitMime)


@pytest.fixture
def smtp_sink_pipelining(settings):
    """A sink that announces PIPELINING and records whether the client pipelined (`sent_with_mail`)."""
    yield from _sink(settings, SinkWithPipelining)


@pytest.fixture
def smtp_sink_observing(settings):
    """A sink without PIPELINING that records what the client sent before each MAIL's answer."""
    yield from _sink(settings, ObservingSink)
