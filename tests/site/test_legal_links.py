"""Impressum and Datenschutzerklärung are one click away from every page and every e-mail."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from cms.forms import EventRegistrationForm
from cms.models import EventPage, SiteLinks, StandardPage
from cms.services import register_attendee
from forum import notifications
from forum.models import Board
from forum.services import create_post, create_topic
from network import services as network_services
from network.access import COORDINATION_GROUP
from network.models import Membership, User
from newsletter import services as newsletter_services
from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition
from newsletter.rendering import compile_edition


@pytest.fixture
def legal_pages(page_tree):
    pages = {
        name: page_tree.home.add_child(instance=StandardPage(title=title, slug=slug))
        for name, title, slug in [
            ("impressum", "Impressum", "impressum"),
            ("privacy", "Datenschutzerklärung", "datenschutz"),
            ("accessibility", "Erklärung zur Barrierefreiheit", "barrierefreiheit"),
        ]
    }
    SiteLinks.objects.update_or_create(site=Site.objects.get(is_default_site=True), defaults=pages)
    return pages


def assert_legal_links_in_mail(text, what):
    assert re.search(r"Impressum: https?://\S+/impressum/", text), f"{what}: no link to the Impressum"
    assert re.search(r"Datenschutzerklärung: https?://\S+/datenschutz/", text), f"{what}: no link to the privacy policy"


def assert_legal_links_on_page(html, legal_pages, what):
    footer = html[html.index('<footer class="site-footer"') :]
    for page in legal_pages.values():
        assert f'href="{page.url}"' in footer, f"{what}: footer lacks {page.title}"


def test_every_kind_of_page_links_all_three_legal_pages_in_its_footer(legal_pages, client, make_user, logged_in):
    board = Board.objects.create(name="Allgemeines", slug="allgemeines", kind=Board.Kind.GENERAL, is_public=True)
    letter = Newsletter.objects.create(
        name="Netzwerkbrief",
        slug="netzwerkbrief",
        sender_name="Stadt",
        sender_email="n@example.org",
        public_subscribe=True,
    )
    anonymous_pages = {
        "Startseite": "/",
        "Gremien": reverse("network:body_list"),
        "Forum": reverse("forum:board_list"),
        "Forumsbereich": board.get_absolute_url(),
        "Anmelden": reverse("account_login"),
        "Registrieren": reverse("account_signup"),
        "Newsletter-Anmeldung": reverse("newsletter:subscribe", args=[letter.slug]),
        "Seite nicht gefunden": "/gibt-es-nicht/",
    }
    for what, url in anonymous_pages.items():
        assert_legal_links_on_page(client.get(url).content.decode(), legal_pages, what)
    browser = logged_in(make_user())
    for what, url in {
        "Profil": reverse("network:profile"),
        "Meine Daten": reverse("network:personal_data"),
        "Konto löschen": reverse("network:delete_account"),
    }.items():
        assert_legal_links_on_page(browser.get(url).content.decode(), legal_pages, what)


def test_allauth_mails_link_the_legal_pages(legal_pages, client, make_user, django_capture_on_commit_callbacks):
    make_user("bekannt@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "display_name": "Neu",
                "email": "neu@example.org",
                "password1": "ein-langes-passwort-9",
                "password2": "ein-langes-passwort-9",
            },
        )
        client.post(reverse("account_reset_password"), {"email": "bekannt@example.org"})

    subjects = [message.subject for message in mail.outbox]
    assert len(mail.outbox) == 2, subjects
    for message in mail.outbox:
        assert_legal_links_in_mail(message.body, message.subject)


def test_network_mails_link_the_legal_pages(
    legal_pages, make_user, make_body, add_member, django_capture_on_commit_callbacks
):
    coordinator = make_user("koordination@example.org")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATION_GROUP)[0])
    moderator = make_user("moderation@example.org")
    closed = make_body("Lenkungsrunde", members_only=True)
    add_member(moderator, closed, Membership.Role.MODERATOR)
    pending = make_user("wartet@example.org", approved=False)
    with django_capture_on_commit_callbacks(execute=True):
        network_services.notify_coordination_of_signup(pending)
        network_services.decide_signup(coordinator, pending, approve=True)
        network_services.invite(moderator, closed, "eingeladen@example.org")
        join_request = network_services.request_to_join(make_user(), closed, "Bitte aufnehmen")
        network_services.decide_join_request(moderator, join_request, accept=True)

    assert len(mail.outbox) == 5
    for message in mail.outbox:
        assert_legal_links_in_mail(message.body, message.subject)


def test_forum_notification_and_digest_mails_link_the_legal_pages(
    legal_pages, make_user, django_capture_on_commit_callbacks, settings
):
    settings.FORUM_POSTS_PER_WINDOW = settings.FORUM_POSTS_PER_WINDOW_NEW_ACCOUNT = 100
    board = Board.objects.create(name="Allgemeines", slug="allgemeines", kind=Board.Kind.GENERAL)
    immediate = make_user("sofort@example.org")
    daily = make_user("taeglich@example.org", notify_by_email=User.Delivery.DAILY)
    writer = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        first = create_topic(immediate, board, "Frage", "Wer hat Erfahrung damit?")
        second = create_topic(daily, board, "Noch eine Frage", "Und hiermit?")
        create_post(writer, first, "Ich!")
        create_post(writer, second, "Ich auch!")
    assert notifications.send_digests("daily") == 1

    assert {tuple(message.to) for message in mail.outbox} == {("sofort@example.org",), ("taeglich@example.org",)}
    for message in mail.outbox:
        assert_legal_links_in_mail(message.body, message.subject)


def test_newsletter_confirmation_and_edition_link_the_legal_pages(
    legal_pages, page_tree, django_capture_on_commit_callbacks
):
    letter = Newsletter.objects.create(
        name="Netzwerkbrief", slug="netzwerkbrief", sender_name="Stadt", sender_email="n@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_services.subscribe(letter, "leserin@example.org", source_detail="/newsletter/")
    (confirmation,) = mail.outbox
    assert_legal_links_in_mail(confirmation.body, "Bestätigung der Anmeldung")

    archive = page_tree.home.add_child(instance=NewsletterArchivePage(title="Newsletter", slug="newsletter-archiv"))
    edition = archive.add_child(
        instance=NewsletterEdition(title="Ausgabe 1", slug="ausgabe-1", newsletter=letter, subject="Ausgabe 1")
    )
    compiled = compile_edition(edition)
    assert re.search(r"Impressum: https?://\S+/impressum/", compiled.text)
    assert re.search(r"Datenschutz: https?://\S+/datenschutz/", compiled.text)
    assert re.search(r'href="https?://[^"]+/impressum/"[^>]*>Impressum</a>', compiled.html)
    assert re.search(r'href="https?://[^"]+/datenschutz/"[^>]*>Datenschutz</a>', compiled.html)


def test_event_registration_mail_links_the_legal_pages(legal_pages, page_tree, django_capture_on_commit_callbacks):
    event = page_tree.events.add_child(
        instance=EventPage(
            title="Sozialraumkonferenz", slug="konferenz", start=timezone.now() + timedelta(days=20),
            location="Rathaus", intro="Jährlich", registration_open=True,
        )
    )  # fmt: skip
    form = EventRegistrationForm({"name": "Gast", "email": "gast@example.org"})
    assert form.is_valid()
    with django_capture_on_commit_callbacks(execute=True):
        register_attendee(event, form)

    (message,) = mail.outbox
    assert_legal_links_in_mail(message.body, message.subject)


def test_mails_say_nothing_about_legal_pages_that_are_not_set(page_tree, django_capture_on_commit_callbacks):
    letter = Newsletter.objects.create(
        name="Netzwerkbrief", slug="netzwerkbrief", sender_name="Stadt", sender_email="n@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_services.subscribe(letter, "leserin@example.org", source_detail="/newsletter/")

    (confirmation,) = mail.outbox
    assert "Impressum" not in confirmation.body
    assert "None" not in confirmation.body
