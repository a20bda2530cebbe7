"""The Teltow demo network: complete, alive, and loading it again changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from cms.models import EventPage, FormatPage, NetworkBodyPage
from forum import markdown
from forum.models import Board, Notification, Post, Reaction, Topic
from network.models import NetworkBody, Themenfeld, User
from newsletter.models import Delivery, Newsletter, NewsletterEdition, Send

# Task results and the search index are written by Wagtail's own tasks on every save; the
# demo data itself is what must not change.
BOOKKEEPING = {"django_tasks_db.dbtaskresult"}
DEMO_MEMBER = "fachkraft@example.org"


def row_counts():
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in BOOKKEEPING
    }


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_every_body_themenfeld_and_format_of_the_concept(seeded):
    assert Themenfeld.objects.count() == 6
    assert NetworkBody.objects.filter(name__startswith="Fokusgruppe").count() == 9
    assert NetworkBody.objects.filter(kind=NetworkBody.Kind.LENKUNGSRUNDE).exists()
    assert NetworkBody.objects.filter(kind=NetworkBody.Kind.KONFERENZ).exists()
    assert NetworkBodyPage.objects.live().count() == NetworkBody.objects.count()
    assert FormatPage.objects.live().count() == 13
    assert User.objects.filter(approval=User.Approval.APPROVED).count() >= 60


def test_seeding_twice_changes_nothing(seeded, capsys, mailoutbox):
    before = row_counts()

    call_command("seed_demo")

    assert row_counts() == before
    assert "koordination@example.org" in capsys.readouterr().out
    assert mailoutbox == []


def test_the_demo_refuses_to_run_where_demo_data_is_not_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("seed_demo", verbosity=0)

    assert not User.objects.filter(email="admin@example.org").exists()


def test_the_demo_forum_is_a_conversation_between_many_members(seeded):
    boards_with_conversations = Board.objects.annotate(topic_total=Count("topics")).filter(topic_total__gte=2)
    assert boards_with_conversations.count() > Board.objects.count() / 2
    for topic in Topic.objects.filter(post_count__gte=3):
        assert topic.posts.values("author").distinct().count() >= 2, topic
    posts = Post.objects.all()
    # Every post is rendered by the forum's own Markdown renderer, as a real post is.
    assert all(post.html == markdown.render(post.markdown) for post in posts)
    assert any("<blockquote>" in post.html for post in posts)
    assert any("@Lisa_Hartung" in post.markdown for post in posts)
    assert Reaction.objects.values("post").distinct().count() >= 20
    solved = Topic.objects.get(accepted_post__isnull=False, title__startswith="Dolmetscherpool")
    assert solved.is_question and solved.accepted_post.number > 1
    assert Topic.objects.filter(is_pinned=True, board__slug="ankuendigungen").exists()
    titles = list(Topic.objects.filter(board__slug="ehrenamtsboerse").values_list("title", flat=True))
    assert any(title.startswith("Angebot:") for title in titles) and any(title.startswith("Gesuch:") for title in titles)
    assert "Beispieldaten" in Topic.objects.get(is_pinned=True).posts.get(number=1).markdown


def test_the_demo_member_finds_new_posts_and_unread_notifications(seeded, client):
    member = User.objects.get(email=DEMO_MEMBER)
    client.force_login(member)

    board = client.get(Board.objects.get(body__slug="fg-kita").get_absolute_url()).content.decode()
    notifications = client.get("/forum/benachrichtigungen/").content.decode()

    assert "Bestandsaufnahme Betreuungsplätze" in board
    assert ">neu<" in board
    kinds = set(Notification.objects.filter(recipient=member).values_list("kind", flat=True))
    assert {Notification.Kind.MENTION, Notification.Kind.REPLY, Notification.Kind.ACCEPTED} <= kinds
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert "Erwähnung" in notifications and "forum-notification--unread" in notifications


def test_visitors_reach_the_newsletter_sign_up_from_home_page_and_footer_and_read_sent_editions(seeded, client):
    newsletter = Newsletter.objects.get(public_subscribe=True)
    home = client.get("/").content.decode()
    archive = client.get("/newsletter/").content.decode()

    assert home.count('href="/newsletter/#abonnieren"') == 2  # the home page's section and the footer
    assert f'href="/newsletter/anmelden/{newsletter.slug}/"' in archive
    assert client.get(f"/newsletter/anmelden/{newsletter.slug}/").status_code == 200
    sent = NewsletterEdition.objects.filter(sends__status=Send.Status.DONE).distinct()
    assert 2 <= sent.count() <= 3
    for edition in sent:
        assert edition.title in archive
        page = client.get(edition.url).content.decode()
        assert "Beispieldaten" in page
    assert Delivery.objects.exclude(status=Delivery.Status.SENT).count() == 0
    assert Delivery.objects.filter(send__edition=sent.first()).count() == newsletter.subscriptions.count()
    latest = client.get(sent.order_by("-first_published_at").first().url).content.decode()
    assert "Aus dem Forum" in latest and "Gesuch: Helferinnen und Helfer" in latest
    assert "Nächste Termine" in latest and "Sitzung der Fokusgruppe" in latest
    draft = NewsletterEdition.objects.get(sends__isnull=True)
    assert draft.title not in archive
    assert client.get(draft.url).status_code == 404


def test_the_next_conference_is_open_for_registration_and_has_attendees(seeded):
    conference = EventPage.objects.get(is_conference=True, registration_open=True)

    assert conference.start > timezone.now()
    assert 20 <= conference.registrations.count() < conference.capacity
