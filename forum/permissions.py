"""The forum's one answer to "may this person see / post / start a topic / moderate here?".

Built on `network.access`; every forum view, feed, search, notification and e-mail asks
these functions, so a rule changes in exactly one place. `check_<action>` raises
`core.permissions.PermissionDenied` with the sentence the reader sees; `can_<action>` is the
same rule as a boolean for templates and lists (core/permissions.py).
"""

from collections.abc import Collection

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed
from network import access

from .models import Board, Poll, Post, Suspension, Topic

NOT_VISIBLE = _("Dieser Bereich des Forums ist für Sie nicht sichtbar.")
CANNOT_START_TOPIC = _("Sie können in diesem Bereich kein Thema eröffnen.")
TOPIC_CLOSED = _("Dieses Thema ist geschlossen. Antworten sind nicht mehr möglich.")
CANNOT_REPLY = _("Sie können in diesem Thema nicht antworten.")
SUSPENDED = _("Ihr Konto ist im Forum vorübergehend gesperrt.")
CANNOT_EDIT = _("Sie können diesen Beitrag nicht bearbeiten.")
CANNOT_DELETE = _("Sie können diesen Beitrag nicht löschen.")
REVISIONS_PRIVATE = _("Die Versionen sehen nur die verfassende Person und die Moderation.")
CANNOT_REACT = _("Sie können auf diesen Beitrag nicht reagieren.")
CANNOT_ACCEPT = _("Sie können für dieses Thema keine Lösung festlegen.")
CANNOT_REPORT = _("Sie können diesen Beitrag nicht melden.")
CANNOT_MODERATE = _("Sie können diesen Bereich nicht moderieren.")
MODERATION_ONLY = _("Diese Seite ist für die Moderation.")
PROFESSIONALS_ONLY = _("Das können nur freigegebene Fachkräfte.")
COORDINATION_ONLY = _("Das kann nur die Sozialraumkoordination.")
FORUM_WIDE_BY_COORDINATION = _("Im ganzen Forum sperren kann nur die Sozialraumkoordination.")
RESTRICT_IN_OWN_BOARDS = _("Sie können Personen nur in Bereichen sperren, die Sie moderieren.")
POLL_EXISTS = _("Dieses Thema hat schon eine Abstimmung.")
CANNOT_ADD_POLL = _("Eine Abstimmung können nur die Person, die das Thema eröffnet hat, und die Moderation hinzufügen.")
CANNOT_VOTE = _("Sie können in dieser Abstimmung nicht abstimmen.")
POLL_CLOSED = _("Diese Abstimmung ist beendet. Stimmen werden nicht mehr angenommen.")
CANNOT_CLOSE_POLL = _("Beenden können nur die Person, die die Abstimmung angelegt hat, und die Moderation.")
RESULTS_AFTER_VOTE = _("Das Ergebnis sehen Sie, sobald Sie abgestimmt haben.")
RESULTS_AFTER_CLOSE = _("Das Ergebnis wird nach dem Ende der Abstimmung gezeigt.")
PROTECTED_PERSON = _("Die Sozialraumkoordination und die Administration kann nur die Administration sperren.")


# Suspensions -------------------------------------------------------------------------------


def is_suspended(user: Viewer, board: Board | None = None) -> bool:
    """Suspended forum-wide, or (with a board) forum-wide or in that board; cached per request."""
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_forum_suspended_cache", {})
    key = board.pk if board is not None else None
    if key not in cache:
        scope = Q(board__isnull=True) if board is None else Q(board__isnull=True) | Q(board=board)
        cache[key] = Suspension.objects.filter(scope, user=user, until__gt=timezone.now()).exists()
    return cache[key]


def forget_cached_suspension(user: Viewer) -> None:
    user.__dict__.pop("_forum_suspended_cache", None)


def is_protected_from_suspension(person: Viewer) -> bool:
    """The coordination and the staff keep the forum running: only the administrator restricts them."""
    return bool(person.is_staff or person.is_superuser or access.is_coordinator(person))


# Boards -------------------------------------------------------------------------------------


def visible_boards(user: Viewer) -> QuerySet[Board]:
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


def moderated_boards(user: Viewer) -> QuerySet[Board]:
    if access.is_coordinator(user):
        return Board.objects.all()
    if not access.is_professional(user):
        return Board.objects.none()
    return Board.objects.filter(body_id__in=access.moderated_body_ids(user))


def check_see_board(user: Viewer, board: Board) -> None:
    if board.is_public or access.is_coordinator(user):
        return
    if board.body is None:
        visible = access.is_professional(user)
    else:
        visible = access.can_see_body_internals(user, board.body)
    if not visible:
        raise PermissionDenied(NOT_VISIBLE)


def check_moderate_board(user: Viewer, board: Board) -> None:
    if board.body is None:
        may = access.is_coordinator(user)
    else:
        may = access.can_moderate_body(user, board.body)
    if not may:
        raise PermissionDenied(CANNOT_MODERATE)


def check_moderate_anything(user: Viewer) -> None:
    """The moderation queue, the log and the suspension page: for anyone who moderates some board."""
    if not (access.is_coordinator(user) or (access.is_professional(user) and access.is_body_moderator(user))):
        raise PermissionDenied(MODERATION_ONLY)


def check_create_board(user: Viewer) -> None:
    if not access.is_coordinator(user):
        raise PermissionDenied(COORDINATION_ONLY)


def _may_write(user: Viewer, board: Board) -> bool:
    return access.is_professional(user) and not is_suspended(user, board) and can_see_board(user, board)


def check_start_topic(user: Viewer, board: Board) -> None:
    if not _may_write(user, board):
        raise PermissionDenied(CANNOT_START_TOPIC)
    if board.kind == Board.Kind.ANNOUNCEMENTS and not (access.is_coordinator(user) or access.is_body_moderator(user)):
        raise PermissionDenied(CANNOT_START_TOPIC)


def check_watch_board(user: Viewer, board: Board) -> None:
    if not user.is_authenticated:
        raise PermissionDenied(NOT_VISIBLE)
    check_see_board(user, board)


# Topics and posts ---------------------------------------------------------------------------


def check_see_topic(user: Viewer, topic: Topic) -> None:
    check_see_board(user, topic.board)
    if topic.is_hidden and not can_moderate_board(user, topic.board):
        raise PermissionDenied(NOT_VISIBLE)


def check_watch_topic(user: Viewer, topic: Topic) -> None:
    if not user.is_authenticated:
        raise PermissionDenied(NOT_VISIBLE)
    check_see_topic(user, topic)


def check_reply(user: Viewer, topic: Topic) -> None:
    if not can_see_topic(user, topic):
        raise PermissionDenied(CANNOT_REPLY)
    if access.is_professional(user) and is_suspended(user, topic.board):
        raise PermissionDenied(SUSPENDED)
    if not _may_write(user, topic.board):
        raise PermissionDenied(CANNOT_REPLY)
    if not topic.is_open_for_replies and not can_moderate_board(user, topic.board):
        raise PermissionDenied(TOPIC_CLOSED)


def check_edit_post(user: Viewer, post: Post) -> None:
    if post.is_deleted:
        raise PermissionDenied(CANNOT_EDIT)
    if can_moderate_board(user, post.topic.board):
        return
    if not (post.author_id == user.pk and _may_write(user, post.topic.board) and post.topic.is_open_for_replies):
        raise PermissionDenied(CANNOT_EDIT)


def check_delete_post(user: Viewer, post: Post) -> None:
    if not can_edit_post(user, post):
        raise PermissionDenied(CANNOT_DELETE)


def check_see_revisions(user: Viewer, post: Post) -> None:
    if not can_see_topic(user, post.topic):
        raise PermissionDenied(REVISIONS_PRIVATE)
    if post.author_id != user.pk and not can_moderate_board(user, post.topic.board):
        raise PermissionDenied(REVISIONS_PRIVATE)


def check_see_post(user: Viewer, post: Post) -> None:
    check_see_topic(user, post.topic)
    if post.is_hidden and post.author_id != user.pk and not can_moderate_board(user, post.topic.board):
        raise PermissionDenied(NOT_VISIBLE)


def check_accept_answer(user: Viewer, topic: Topic) -> None:
    if not topic.is_question or not access.is_professional(user):
        raise PermissionDenied(CANNOT_ACCEPT)
    if topic.author_id != user.pk and not can_moderate_board(user, topic.board):
        raise PermissionDenied(CANNOT_ACCEPT)


def check_add_poll(user: Viewer, topic: Topic) -> None:
    check_reply(user, topic)
    if topic.author_id != user.pk and not can_moderate_board(user, topic.board):
        raise PermissionDenied(CANNOT_ADD_POLL)
    # The topic page loads the poll with the topic (select_related); elsewhere this asks the database.
    if getattr(topic, "poll", None) is not None:
        raise PermissionDenied(POLL_EXISTS)


def check_vote(user: Viewer, poll: Poll) -> None:
    if not can_see_topic(user, poll.topic):
        raise PermissionDenied(NOT_VISIBLE)
    if not poll.is_open:
        raise PermissionDenied(POLL_CLOSED)
    if not can_reply(user, poll.topic):
        raise PermissionDenied(CANNOT_VOTE)


def check_close_poll(user: Viewer, poll: Poll) -> None:
    if not poll.is_open:
        raise PermissionDenied(POLL_CLOSED)
    if can_moderate_board(user, poll.topic.board):
        return
    if poll.created_by_id != user.pk or not _may_write(user, poll.topic.board):
        raise PermissionDenied(CANNOT_CLOSE_POLL)


def check_see_poll_results(user: Viewer, poll: Poll, *, has_voted: bool) -> None:
    """`has_voted`: the caller knows it already (the page reads the person's votes anyway)."""
    check_see_topic(user, poll.topic)
    if poll.results == Poll.Results.ALWAYS or not poll.is_open:
        return
    if poll.results == Poll.Results.AFTER_VOTE:
        if not has_voted:
            raise PermissionDenied(RESULTS_AFTER_VOTE)
        return
    raise PermissionDenied(RESULTS_AFTER_CLOSE)


def check_react(user: Viewer, post: Post) -> None:
    if not (_may_write(user, post.topic.board) and not post.is_deleted and not post.is_hidden):
        raise PermissionDenied(CANNOT_REACT)


def check_report(user: Viewer, post: Post) -> None:
    if not (access.is_professional(user) and can_see_post(user, post) and post.author_id != user.pk):
        raise PermissionDenied(CANNOT_REPORT)


def check_follow_tag(user: Viewer) -> None:
    if not access.is_professional(user):
        raise PermissionDenied(PROFESSIONALS_ONLY)


def check_mention_in(user: Viewer, board: Board | None) -> None:
    """The list of people to mention: only for professionals who see the board they write in."""
    if board is None or not access.is_professional(user):
        raise PermissionDenied(PROFESSIONALS_ONLY)
    check_see_board(user, board)


# Suspending ----------------------------------------------------------------------------------


def check_suspend_person(actor: Viewer, person: Viewer) -> None:
    """May open the suspension page for this person: moderates something, and the person is not protected."""
    check_moderate_anything(actor)
    if is_protected_from_suspension(person) and not actor.is_superuser:
        raise PermissionDenied(PROTECTED_PERSON)


def check_suspend(actor: Viewer, person: Viewer, board: Board | None) -> None:
    """A board's moderation restricts in that board; only the coordination suspends forum-wide."""
    check_suspend_person(actor, person)
    if board is None:
        if not access.is_coordinator(actor):
            raise PermissionDenied(FORUM_WIDE_BY_COORDINATION)
    elif not can_moderate_board(actor, board):
        raise PermissionDenied(RESTRICT_IN_OWN_BOARDS)


def suspension_boards(actor: Viewer) -> QuerySet[Board]:
    """The boards in which the actor may restrict someone."""
    return moderated_boards(actor)


# Booleans for templates and lists -----------------------------------------------------------


def can_see_board(user: Viewer, board: Board) -> bool:
    return allowed(check_see_board, user, board)


def can_moderate_board(user: Viewer, board: Board) -> bool:
    return allowed(check_moderate_board, user, board)


def can_moderate_anything(user: Viewer) -> bool:
    return allowed(check_moderate_anything, user)


def can_start_topic(user: Viewer, board: Board) -> bool:
    return allowed(check_start_topic, user, board)


def can_see_topic(user: Viewer, topic: Topic) -> bool:
    return allowed(check_see_topic, user, topic)


def can_reply(user: Viewer, topic: Topic) -> bool:
    return allowed(check_reply, user, topic)


def can_edit_post(user: Viewer, post: Post) -> bool:
    return allowed(check_edit_post, user, post)


def can_delete_post(user: Viewer, post: Post) -> bool:
    return allowed(check_delete_post, user, post)


def can_see_revisions(user: Viewer, post: Post) -> bool:
    return allowed(check_see_revisions, user, post)


def can_see_post(user: Viewer, post: Post) -> bool:
    return allowed(check_see_post, user, post)


def can_accept_answer(user: Viewer, topic: Topic) -> bool:
    return allowed(check_accept_answer, user, topic)


def can_add_poll(user: Viewer, topic: Topic) -> bool:
    return allowed(check_add_poll, user, topic)


def can_vote(user: Viewer, poll: Poll) -> bool:
    return allowed(check_vote, user, poll)


def can_close_poll(user: Viewer, poll: Poll) -> bool:
    return allowed(check_close_poll, user, poll)


def can_react(user: Viewer, post: Post) -> bool:
    return allowed(check_react, user, post)


def can_report(user: Viewer, post: Post) -> bool:
    return allowed(check_report, user, post)


def can_follow_tag(user: Viewer) -> bool:
    return allowed(check_follow_tag, user)


def can_suspend_person(actor: Viewer, person: Viewer) -> bool:
    return allowed(check_suspend_person, actor, person)


def can_suspend_forum_wide(actor: Viewer, person: Viewer) -> bool:
    return allowed(check_suspend, actor, person, None)


# Querysets for lists, search, feeds and notifications --------------------------------------


def visible_topics(user: Viewer) -> QuerySet[Topic]:
    """Topics for lists, search, feeds and notifications: hidden ones stay with the moderators."""
    return Topic.objects.filter(board__in=visible_boards(user)).filter(
        Q(is_hidden=False) | Q(board__in=moderated_boards(user))
    )


# A post that may appear outside its topic page (search, feeds, digests) is neither deleted nor hidden.
_SHOWN_OUTSIDE_ITS_TOPIC = Q(deleted_at__isnull=True, is_hidden=False)


def visible_posts_in_boards(board_ids: Collection[int]) -> QuerySet[Post]:
    """`visible_posts` of a person whose `visible_boards` were read already (`board_ids`, the search reads them
    first): the same rule on the post's own topic row, without the boards' subqueries, which made SQLite walk
    every visible topic's posts."""
    return Post.objects.filter(_SHOWN_OUTSIDE_ITS_TOPIC, topic__board_id__in=board_ids, topic__is_hidden=False)


def visible_posts(user: Viewer) -> QuerySet[Post]:
    """Posts that may appear outside their topic page (search, feeds, digests): no deleted or hidden ones."""
    return Post.objects.filter(_SHOWN_OUTSIDE_ITS_TOPIC, topic__in=visible_topics(user).filter(is_hidden=False))
