"""Newsletter fixtures: lists, editions, subscribers, and a real SMTP server that keeps what it accepts."""

import email
import email.policy
import itertools

import pytest
from django.core import signing

from newsletter import rendering
from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition, Subscriber, Subscription

SITE_URL = "https://sozialraum.example.org"

_numbers = itertools.count(1)


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
