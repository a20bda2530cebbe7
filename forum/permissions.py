"""The forum's one answer to "may this person see / post / start a topic / moderate here?".

Built on `network.access`; every forum view, feed, search, notification and e-mail asks
these functions, so a rule changes in exactly one place.
"""

from django.db.models import Q
from django.utils import timezone

from network import access

from .models import Board, Post, Suspension, Topic


def is_suspended(user):
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_forum_suspended_cache", None)
    if cache is None:
        cache = Suspension.objects.filter(user=user, until__gt=timezone.now()).exists()
        user._forum_suspended_cache = cache
    return cache


def forget_cached_suspension(user):
    user.__dict__.pop("_forum_suspended_cache", None)


def visible_boards(user):
    if access.is_coordinator(user):
        return Board.objects.all()
    if not access.is_professional(user):
        return Board.objects.filter(is_public=True)
    return Board.objects.filter(
        Q(is_public=True)
        | Q(body__isnull=True)
        | Q(body__in=access.visible_internal_bodies(user))
        | Q(body_id__in=access.moderated_body_ids(user))
    )


def moderated_boards(user):
    if access.is_coordinator(user):
        return Board.objects.all()
    if not access.is_professional(user):
        return Board.objects.none()
    return Board.objects.filter(body_id__in=access.moderated_body_ids(user))


def can_see_board(user, board):
    if board.is_public or access.is_coordinator(user):
        return True
    if board.body_id is None:
        return access.is_professional(user)
    return access.can_see_body_internals(user, board.body)


def can_moderate_board(user, board):
    if board.body_id is None:
        return access.is_coordinator(user)
    return access.can_moderate_body(user, board.body)


def can_moderate_anything(user):
    return access.is_coordinator(user) or (access.is_professional(user) and access.is_body_moderator(user))


def _may_write(user, board):
    return access.is_professional(user) and not is_suspended(user) and can_see_board(user, board)


def can_start_topic(user, board):
    if not _may_write(user, board):
        return False
    if board.kind == Board.Kind.ANNOUNCEMENTS:
        return access.is_coordinator(user) or access.is_body_moderator(user)
    return True


def can_see_topic(user, topic):
    if not can_see_board(user, topic.board):
        return False
    return not topic.is_hidden or can_moderate_board(user, topic.board)


def can_reply(user, topic):
    if not _may_write(user, topic.board) or not can_see_topic(user, topic):
        return False
    return topic.is_open_for_replies or can_moderate_board(user, topic.board)


def can_edit_post(user, post):
    if post.is_deleted:
        return False
    if can_moderate_board(user, post.topic.board):
        return True
    return post.author_id == user.pk and _may_write(user, post.topic.board) and post.topic.is_open_for_replies


def can_delete_post(user, post):
    return can_edit_post(user, post)


def can_see_revisions(user, post):
    return post.author_id == user.pk or can_moderate_board(user, post.topic.board)


def can_see_post(user, post):
    if not can_see_topic(user, post.topic):
        return False
    return not post.is_hidden or post.author_id == user.pk or can_moderate_board(user, post.topic.board)


def can_accept_answer(user, topic):
    if not topic.is_question or not access.is_professional(user):
        return False
    return topic.author_id == user.pk or can_moderate_board(user, topic.board)


def can_react(user, post):
    return _may_write(user, post.topic.board) and not post.is_deleted and not post.is_hidden


def can_report(user, post):
    return access.is_professional(user) and can_see_post(user, post) and post.author_id != user.pk


def visible_topics(user):
    """Topics for lists, search, feeds and notifications: hidden ones stay with the moderators."""
    return Topic.objects.filter(board__in=visible_boards(user)).filter(
        Q(is_hidden=False) | Q(board__in=moderated_boards(user))
    )


def visible_posts(user):
    """Posts that may appear outside their topic page (search, feeds, digests): no deleted or hidden ones."""
    return Post.objects.filter(
        topic__in=visible_topics(user).filter(is_hidden=False), deleted_at__isnull=True, is_hidden=False
    )
