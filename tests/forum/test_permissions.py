import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import URLPattern, reverse

from forum import permissions, services
from forum.feeds import feed_token
from forum.models import Attachment, Board, Notification, Report, Tag
from forum.notifications import unsubscribe_token
from forum.urls import urlpatterns

from .conftest import ROLES

# The topic page and the posting services have database-specific queries (JSON aggregates, locks).
pytestmark = pytest.mark.both_databases

SEES_CLOSED_BOARD = {"member", "moderator", "coordination"}
MODERATES_CLOSED_BOARD = {"moderator", "coordination"}
MODERATES_SOMETHING = {"other_moderator", "moderator", "coordination"}
PROFESSIONALS = {"professional", "member", "other_moderator", "moderator", "coordination"}
EVERYONE = set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_a_members_only_board_is_visible_to_members_its_moderators_and_the_coordination(role, person, closed_board):
    user = person(role)
    user = user or AnonymousUser()
    assert permissions.can_see_board(user, closed_board) == (role in SEES_CLOSED_BOARD)
    assert (closed_board in permissions.visible_boards(user)) == (role in SEES_CLOSED_BOARD)
    assert permissions.can_moderate_board(user, closed_board) == (role in MODERATES_CLOSED_BOARD)


@pytest.mark.parametrize("role", ROLES)
def test_an_open_board_is_visible_to_every_professional_and_no_one_else(role, person, open_board):
    user = person(role) or AnonymousUser()
    assert permissions.can_see_board(user, open_board) == (role in PROFESSIONALS)
    assert permissions.can_start_topic(user, open_board) == (role in PROFESSIONALS)


@pytest.mark.parametrize("role", ROLES)
def test_a_public_board_is_readable_by_anyone_but_writable_only_by_professionals(role, person, make_board):
    board = make_board(is_public=True)
    user = person(role) or AnonymousUser()
    assert permissions.can_see_board(user, board)
    assert permissions.can_start_topic(user, board) == (role in PROFESSIONALS)


@pytest.mark.parametrize("role", ROLES)
def test_only_coordination_and_moderators_open_topics_in_announcements(role, person, db):
    board = Board.objects.get(slug="ankuendigungen")
    user = person(role) or AnonymousUser()
    assert permissions.can_start_topic(user, board) == (role in MODERATES_SOMETHING)


def test_every_body_gets_a_board_when_it_is_created(make_body):
    body = make_body("FG Kita")
    assert body.forum_board.name == "FG Kita"
    assert body.forum_board.kind == Board.Kind.BODY


def test_the_general_boards_exist_after_migrating(db):
    assert set(Board.objects.filter(body=None).values_list("name", flat=True)) >= {
        "Allgemeiner Austausch",
        "Ehrenamtsbörse",
        "Ankündigungen",
    }


# The walk over every forum URL -----------------------------------------------


@pytest.fixture
def world(closed_board, member, moderator, make_topic, professional, open_board):
    """Private content in the members-only board, and objects that every URL pattern can point at."""
    topic = make_topic(closed_board, member, posts=2, is_question=True)
    post = topic.posts.get(number=2)
    attachment = Attachment.objects.create(
        post=post, original_name="plan.pdf", content_type="application/pdf", size=10, file="forum/x.pdf"
    )
    from django.core.files.base import ContentFile

    attachment.file.save("x", ContentFile(b"%PDF-1.4 test"), save=True)
    tag = Tag.objects.create(name="Kita", slug="kita")
    topic.tags.add(tag)
    notification = Notification.objects.create(recipient=member, kind=Notification.Kind.REPLY, post=post)
    report = Report.objects.create(post=post, reporter=member, reason="Spam")
    poll_topic = make_topic(closed_board, member, posts=1)
    poll = services.create_poll(member, poll_topic, "Wann?", ["Montag", "Dienstag"])
    return {
        "poll": poll.pk,
        "slug": closed_board.slug,
        "pk_topic": topic.pk,
        "post": post,
        "attachment": attachment.pk,
        "tag": tag.slug,
        "notification": notification.pk,
        "report": report.pk,
        "user": professional.pk,
        "token_unsubscribe": unsubscribe_token(member, "reply"),
        "token_feed": feed_token(member),
    }


# url name -> (kwargs from the world, roles that get the page, GET or POST)
URLS = {
    "board_list": (lambda w: {}, EVERYONE, "get"),
    "board_detail": (lambda w: {"slug": w["slug"]}, SEES_CLOSED_BOARD, "get"),
    "topic_create": (lambda w: {"slug": w["slug"]}, SEES_CLOSED_BOARD, "get"),
    "board_watch": (lambda w: {"slug": w["slug"]}, SEES_CLOSED_BOARD, "post"),
    "topic_detail": (lambda w: {"pk": w["pk_topic"]}, SEES_CLOSED_BOARD, "get"),
    "topic_unread": (lambda w: {"pk": w["pk_topic"]}, SEES_CLOSED_BOARD, "redirect"),
    "topic_reply": (lambda w: {"pk": w["pk_topic"]}, SEES_CLOSED_BOARD, "get"),
    "topic_watch": (lambda w: {"pk": w["pk_topic"]}, SEES_CLOSED_BOARD, "post"),
    "topic_accept": (
        lambda w: {"pk": w["pk_topic"], "post_pk": w["post"].pk},
        {"member", "moderator", "coordination"},
        "post",
    ),
    "topic_moderate": (lambda w: {"pk": w["pk_topic"]}, MODERATES_CLOSED_BOARD, "get"),
    "post_permalink": (lambda w: {"pk": w["post"].pk}, SEES_CLOSED_BOARD, "redirect"),
    "post_edit": (lambda w: {"pk": w["post"].pk}, {"member", "moderator", "coordination"}, "get"),
    "post_revisions": (lambda w: {"pk": w["post"].pk}, {"member", "moderator", "coordination"}, "get"),
    "post_delete": (lambda w: {"pk": w["post"].pk}, {"member", "moderator", "coordination"}, "get"),
    "post_react": (lambda w: {"pk": w["post"].pk}, SEES_CLOSED_BOARD, "post"),
    "post_report": (lambda w: {"pk": w["post"].pk}, {"moderator", "coordination"}, "get"),
    "post_hide": (lambda w: {"pk": w["post"].pk}, MODERATES_CLOSED_BOARD, "post"),
    "attachment": (lambda w: {"pk": w["attachment"]}, SEES_CLOSED_BOARD, "get"),
    "tag_detail": (lambda w: {"slug": w["tag"]}, EVERYONE, "get"),
    "tag_follow": (lambda w: {"slug": w["tag"]}, PROFESSIONALS, "post"),
    "search": (lambda w: {}, EVERYONE, "get"),
    "notifications": (lambda w: {}, EVERYONE - {"anonymous"}, "get"),
    "notification_open": (lambda w: {"pk": w["notification"]}, {"member"}, "redirect"),
    "mention_candidates": (lambda w: {}, SEES_CLOSED_BOARD, "get"),
    "unsubscribe": (lambda w: {"token": w["token_unsubscribe"]}, EVERYONE, "get"),
    "feed_public": (lambda w: {}, EVERYONE, "get"),
    "feed_watched": (lambda w: {"token": w["token_feed"]}, EVERYONE, "get"),
    "moderation_queue": (lambda w: {}, MODERATES_SOMETHING, "get"),
    "report_resolve": (lambda w: {"pk": w["report"]}, MODERATES_CLOSED_BOARD, "post"),
    "audit_log": (lambda w: {}, MODERATES_SOMETHING, "get"),
    "user_suspend": (lambda w: {"pk": w["user"]}, MODERATES_SOMETHING, "get"),
    # The member opened the topic: the member and the board's moderation may add its poll.
    "poll_create": (lambda w: {"pk": w["pk_topic"]}, {"member", "moderator", "coordination"}, "get"),
    # Whoever sees the topic gets an answer on the topic page (a refusal there says why).
    "poll_vote": (lambda w: {"pk": w["poll"]}, SEES_CLOSED_BOARD, "post"),
    "poll_withdraw": (lambda w: {"pk": w["poll"]}, SEES_CLOSED_BOARD, "post"),
    "poll_close": (lambda w: {"pk": w["poll"]}, SEES_CLOSED_BOARD, "post"),
}
POST_DATA = {
    "board_watch": {"level": "watching"},
    "topic_watch": {"level": "watching"},
    "post_react": {"kind": "heart"},
    "tag_follow": {},
    "report_resolve": {"status": "resolved"},
}


def test_the_walk_covers_every_forum_url_pattern():
    names = {pattern.name for pattern in urlpatterns if isinstance(pattern, URLPattern)}
    assert names == set(URLS)


@pytest.mark.parametrize("name", sorted(URLS))
def test_every_forum_url_answers_each_role_as_the_permission_module_says(name, world, person):
    kwargs_for, allowed, method = URLS[name]
    url = reverse(f"forum:{name}", kwargs=kwargs_for(world))
    if name == "mention_candidates":
        url += f"?bereich={world['slug']}&q=Mi"
    for role in ROLES:
        client = Client()
        if (user := person(role)) is not None:
            client.force_login(user)
        if method == "post":
            response = client.post(url, POST_DATA.get(name, {}))
        else:
            response = client.get(url)
        if role in allowed:
            expected = {302} if method in {"post", "redirect"} else {200}
            assert response.status_code in expected, (role, response.status_code)
        elif role == "anonymous":
            assert response.status_code == 302 and "/konto/login/" in response["Location"], (role, response.status_code)
        else:
            assert response.status_code in {403, 404}, (role, response.status_code)
