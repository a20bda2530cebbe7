"""Newsletter fixtures: lists, editions, subscribers, and a real SMTP server that keeps what it accepts."""

import asyncio
import email
import email.policy
import itertools
import socket
import threading
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from django.core import signing

from newsletter import rendering
from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition, Subscriber, Subscription

SITE_URL = "https://sozialraum.example.org"

_numbers = itertools.count(1)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_received(message):
    """A mail from the outbox as a recipient's mail program reads it: the bytes the backend was handed, parsed."""
    return email.message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=email.policy.default)


def bodies_of(message):
    """Text and HTML as decoded, with the wire's CRLF as the edition's LF."""
    parts = (message.get_body(preferencelist=(kind,)) for kind in ("plain", "html"))
    return [part.get_content().replace("\r\n", "\n") for part in parts]


def expected_bodies(send, row):
    """Text and HTML the row's recipient should read, personalised by plain string replacement."""
    links = rendering.recipient_links(row.email, send.edition.newsletter)
    html, text = rendering.personalize(send.compiled_html, send.compiled_text, name=row.name, links=links)
    return text, html


class SinkHandler:
    """Stores a message only when it answers 250, like a real server: a client that vanishes during
    the (optional) delay cancels the handler, and nothing is stored."""

    def __init__(self, delay=0.0):
        self.delay = delay
        self.messages = []
        self.rcpt_answers = {}  # address -> list of answers, used one per attempt
        self.data_answers = []
        # After this many stored messages, DATA is answered once with 421 and the connection closed.
        self.break_off_after = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answers = self.rcpt_answers.get(address.lower())
        if answers:
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_answers:
            return self.data_answers.pop(0)
        if self.break_off_after is not None and len(self.messages) >= self.break_off_after:
            self.break_off_after = None
            return "421 Service not available, closing transmission channel"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(
                SimpleNamespace(
                    rcpt_tos=list(envelope.rcpt_tos),
                    message=message,
                    mail_options=list(envelope.mail_options),
                    content=envelope.content,
                    # (host, port) of the client's end: one per SMTP connection.
                    peer=session.peer,
                )
            )
        return "250 Message accepted for delivery"

    def connections(self):
        return {entry.peer for entry in self.messages}

    def to(self, address):
        return [entry.message for entry in self.messages if address.lower() in [r.lower() for r in entry.rcpt_tos]]


class SinkWithout8BitMime(SinkHandler):
    """A server that does not announce 8BITMIME (aiosmtpd announces it whenever it keeps bytes)."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # With this hook aiosmtpd leaves remembering the EHLO to the handler; MAIL needs it.
        session.host_name = hostname
        return [line for line in responses if line != "250-8BITMIME"]


def start_sink(delay=0.0, handler_class=SinkHandler):
    handler = handler_class(delay)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return handler, controller


@pytest.fixture
def links_made_in_one_second(monkeypatch):
    """Signed links carry the second they were made in: sending and rebuilding them (expected_bodies) must agree."""
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1xZU6C")


@pytest.fixture(autouse=True)
def newsletter_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.NEWSLETTER_RATE_LIMIT = 0
    settings.NEWSLETTER_RETRY_DELAYS = (0, 0, 0)
    settings.NEWSLETTER_MAX_CONSECUTIVE_ERRORS = 3
    settings.NEWSLETTER_LIST_ID_DOMAIN = "sozialraum.example.org"
    return settings


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
def newsletter(db):
    return Newsletter.objects.create(
        name="Sozialraum aktuell",
        slug="sozialraum-aktuell",
        description="Neuigkeiten aus dem Sozialraumnetzwerk.",
        sender_name="Sozialraumkoordination Teltow",
        sender_email="sozialraum@example.org",
        reply_to="antwort@example.org",
        public_subscribe=True,
    )


@pytest.fixture
def archive(page_tree):
    return page_tree.home.add_child(instance=NewsletterArchivePage(title="Newsletter", slug="newsletter"))


@pytest.fixture
def make_edition(archive, newsletter):
    def make(body=None, **fields):
        number = next(_numbers)
        fields.setdefault("newsletter", newsletter)
        fields.setdefault("title", f"Ausgabe {number}")
        fields.setdefault("slug", f"ausgabe-{number}")
        fields.setdefault("subject", f"Sozialraum aktuell – Ausgabe {number}")
        fields.setdefault("preheader", "Neues aus den Fokusgruppen")
        edition = NewsletterEdition(body=body or [("paragraph", "<p>Hallo Netzwerk!</p>")], **fields)
        return archive.add_child(instance=edition)

    return make


@pytest.fixture
def subscribe(newsletter):
    def add(email, status=Subscription.Status.CONFIRMED, to=None, **subscriber_fields):
        subscriber = Subscriber.objects.filter(email__iexact=email).first() or Subscriber.objects.create(
            email=email, **subscriber_fields
        )
        return Subscription.objects.create(subscriber=subscriber, newsletter=to or newsletter, status=status)

    return add


@pytest.fixture
def coordinator_client(client, make_user, with_totp):
    from django.contrib.auth.models import Group

    from network.access import COORDINATION_GROUP

    user = make_user("koordination@example.org", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=COORDINATION_GROUP)[0])
    with_totp(user)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def forum_topic(make_user):
    """A topic written through the forum's own service, on a public or internal board (of a body)."""
    from forum.models import Board
    from forum.services import create_topic

    author = make_user("autorin@example.org")
    numbers = itertools.count(1)

    def make(title, *, is_public=True, body=None):
        number = next(numbers)
        board = Board.objects.filter(body=body).first() if body is not None else None
        if board is None:
            board = Board.objects.create(
                name=f"Bereich {number}", slug=f"nl-bereich-{number}", is_public=is_public, body=body
            )
        if body is not None:
            from network.access import forget_cached_roles
            from network.models import Membership

            Membership.objects.get_or_create(user=author, body=body)
            forget_cached_roles(author)
        return create_topic(author, board, title, f"Erster Beitrag zu {title} Nummer {number}")

    return make
