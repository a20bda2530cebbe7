"""A title with `& " ' < >` reaches every kind of mail's subject as typed, not HTML-escaped.

Every mail goes over SMTP to a real (aiosmtpd) server on loopback; the subject is read back from what
the server accepted.
"""

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cms.models import EventPage
from forum import services as forum_services
from network import services as network_services
from network.models import Membership, User
from newsletter import services as newsletter_services
from newsletter.delivery import lifecycle, worker
from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition, Subscriber, Subscription
from tests.smtp import start_sink

random.seed(12)
NASTY = f'Eltern & „Kita“ "Sonne" l\'été <Teltow> Nr. {random.randint(1, 999)}'
ESCAPES = ("&amp;", "&quot;", "&#x27;", "&#39;", "&lt;", "&gt;")


@pytest.fixture
def smtp_server(settings):
    handler, controller = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.WAGTAIL_SITE_NAME = NASTY
    settings.NEWSLETTER_RATE_LIMIT = 0
    yield handler
    controller.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an operation and what it registered for after the commit (mails are tasks, run at once)."""

    def run(operation):
        with django_capture_on_commit_callbacks(execute=True):
            return operation()

    return run


def subject_to(server, address):
    [message] = server.to(address)
    return str(message["Subject"])


def assert_plain(subject, expected=NASTY):
    assert expected in subject
    assert not any(escape in subject for escape in ESCAPES), subject


def test_forum_notification_and_digest_subjects_carry_the_title_as_typed(smtp_server, committed, make_user, make_body):
    board = make_body("FG Schule").forum_board
    author = make_user("autorin@example.org")
    digest_reader = make_user("digest@example.org", notify_by_email=User.Delivery.DAILY)
    topic = forum_services.create_topic(author, board, NASTY, "Wer hat Plätze?")
    forum_services.create_post(digest_reader, topic, "Ich lese mit.")
    committed(lambda: forum_services.create_post(make_user(), topic, "Wir haben Plätze!"))

    assert_plain(subject_to(smtp_server, "autorin@example.org"))

    call_command("send_forum_digests", "--period", "daily")
    # The digest names no topic in its subject, only the site: its name has the same characters.
    assert_plain(subject_to(smtp_server, "digest@example.org"))


def test_newsletter_confirmation_and_edition_subjects_carry_the_name_as_typed(smtp_server, committed, page_tree):
    newsletter = Newsletter.objects.create(
        name=NASTY,
        slug="eltern",
        sender_name="Koordination",
        sender_email="sozialraum@example.org",
        public_subscribe=True,
    )
    committed(lambda: newsletter_services.subscribe(newsletter, "neu@example.org", source_detail="/newsletter/"))
    assert_plain(subject_to(smtp_server, "neu@example.org"))

    archive = page_tree.home.add_child(instance=NewsletterArchivePage(title="Newsletter", slug="newsletter"))
    edition = archive.add_child(
        instance=NewsletterEdition(
            title="Ausgabe 1",
            slug="ausgabe-1",
            newsletter=newsletter,
            subject=NASTY,
            body=[("paragraph", "<p>Hallo</p>")],
        )
    )
    subscriber = Subscriber.objects.create(email="leserin@example.org")
    Subscription.objects.create(subscriber=subscriber, newsletter=newsletter, status=Subscription.Status.CONFIRMED)
    lifecycle.start_send(newsletter_services.create_send(edition), enqueue=False)
    worker.run_worker()
    assert_plain(subject_to(smtp_server, "leserin@example.org"))


def test_event_registration_subject_carries_the_title_as_typed(smtp_server, committed, page_tree):
    event = page_tree.events.add_child(
        instance=EventPage(
            title=NASTY,
            start=timezone.now() + timedelta(days=30),
            location="Teltow",
            intro="Treffen.",
            registration_open=True,
        )
    )
    data = {"name": "Anna Beispiel", "email": "anna@example.org", "organisation": "Kita Sonnenschein"}
    response = committed(lambda: Client().post(f"/veranstaltungen/{event.pk}/anmelden/", data))

    assert response.status_code == 302
    assert_plain(subject_to(smtp_server, "anna@example.org"))


def test_network_mails_carry_body_and_person_names_as_typed(smtp_server, committed, make_user, make_body, coordinator):
    body = make_body(NASTY, members_only=True)
    moderator = make_user("moderatorin@example.org")
    Membership.objects.create(user=moderator, body=body, role=Membership.Role.MODERATOR)
    applicant = make_user("bewerber@example.org")

    join_request = committed(lambda: network_services.request_to_join(applicant, body, "Hallo"))
    assert_plain(subject_to(smtp_server, "moderatorin@example.org"))
    committed(lambda: network_services.decide_join_request(moderator, join_request, True))
    assert_plain(subject_to(smtp_server, "bewerber@example.org"))
    committed(lambda: network_services.invite(moderator, body, "gast@example.org"))
    assert_plain(subject_to(smtp_server, "gast@example.org"))

    newcomer = make_user("neu@example.org", approved=False, display_name=NASTY)
    committed(lambda: network_services.notify_coordination_of_signup(newcomer))
    assert_plain(subject_to(smtp_server, coordinator.email))
    committed(lambda: network_services.decide_signup(coordinator, newcomer, True))
    assert_plain(subject_to(smtp_server, "neu@example.org"))


def test_account_mails_of_allauth_keep_their_prefix_as_typed(smtp_server, committed, make_user, settings):
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{NASTY}] "
    make_user("konto@example.org")

    committed(lambda: Client().post("/konto/password/reset/", {"email": "konto@example.org"}))

    assert_plain(subject_to(smtp_server, "konto@example.org"), expected=f"[{NASTY}] ")
