"""Read queries of the forum, for its views and for other apps (cms body pages, the newsletter)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, Count, Exists, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, JSONObject, Now
from django.db.models.sql.compiler import SQLCompiler

from core.permissions import PermissionDenied, Viewer, message_of
from core.prepared import PreparedQuery
from network import access
from network.models import NetworkBody, User
from notices import selectors as notices

from . import permissions
from .models import (
    REACTION_EMOJI,
    Attachment,
    AuditLog,
    Board,
    Notification,
    Poll,
    PollVote,
    Post,
    Reaction,
    Report,
    Suspension,
    Tag,
    Topic,
    TopicRead,
    TopicSubscription,
    WatchLevel,
)

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30


def visible_topics(user: Viewer) -> QuerySet[Topic]:
    return permissions.visible_topics(user)


def _last_read_number(user_id: int) -> Coalesce:
    last_read = TopicRead.objects.filter(user_id=user_id, topic=OuterRef("pk")).values("last_read_number")[:1]
    return Coalesce(Subquery(last_read), 0)


def _with_read_state(topics: QuerySet[Topic], user: Viewer) -> QuerySet[Topic]:
    if not user.is_authenticated:
        return topics
    return topics.annotate(last_read_number=_last_read_number(user.pk))


def latest_topics_for_body(body: NetworkBody, user: Viewer, limit: int = 5) -> list[Topic]:
    return list(
        visible_topics(user)
        .filter(board__body=body)
        .select_related("board", "author")
        .order_by("-last_post_at")[:limit]
    )


class BodyForum(NamedTuple):
    board: Board | None
    latest_topics: list[Topic]


def forum_of_body(body: NetworkBody, user: Viewer, limit: int = 5) -> BodyForum:
    """What a body's public page (cms.NetworkBodyPage) shows of the forum: the body's board when
    `user` may see it, and the latest topics of that body `user` may read. The CMS asks the forum
    only this; the forum never imports the CMS."""
    board = permissions.visible_boards(user).filter(body=body).first()
    return BodyForum(board=board, latest_topics=latest_topics_for_body(body, user, limit=limit))


def most_active_public_topics(since: datetime, limit: int = 5) -> list[Topic]:
    """Topics that anyone may read, by posts written since the given moment (for the public newsletter)."""
    return list(
        Topic.objects.filter(board__is_public=True, is_hidden=False)
        .annotate(
            recent_posts=Count(
                "posts", filter=Q(posts__created_at__gte=since, posts__deleted_at__isnull=True, posts__is_hidden=False)
            )
        )
        .filter(recent_posts__gt=0)
        .select_related("board")
        .order_by("-recent_posts", "-last_post_at")[:limit]
    )


def boards_for_index(user: Viewer) -> list[Board]:
    """Visible boards with their latest topic and, for people logged in, unread topic counts."""
    boards = list(permissions.visible_boards(user).select_related("body", "last_topic"))
    unread = unread_topic_counts(user, [board.pk for board in boards])
    for board in boards:
        board.unread_count = unread.get(board.pk, 0)
    return boards


def unread_topic_counts(user: Viewer, board_ids: list[int]) -> dict[int, int]:
    """Board id → number of visible topics with posts this person has not read (boards without any are left out)."""
    if not user.is_authenticated:
        return {}
    rows = (
        _with_read_state(visible_topics(user).filter(board__in=board_ids), user)
        # last_read_number is the annotation _with_read_state adds, which its QuerySet[Topic] does not name.
        .filter(last_read_number__lt=Subquery(Topic.objects.filter(pk=OuterRef("pk")).values("last_post_number")))  # type: ignore[misc]
        .values("board_id")
        .annotate(count=Count("pk"))
    )
    return {row["board_id"]: row["count"] for row in rows}


def topics_for_board(
    board: Board, user: Viewer, page_number: int | str | None = 1, tag: Tag | None = None
) -> Page[Topic]:
    topics = visible_topics(user).filter(board=board)
    if tag is not None:
        topics = topics.filter(tags=tag)
    topics = _with_read_state(topics.select_related("author").prefetch_related("tags"), user)
    return Paginator(topics.order_by("-is_pinned", "-last_post_at"), TOPICS_PER_PAGE).get_page(page_number)


def topics_for_tag(tag: Tag, user: Viewer, page_number: int | str | None = 1) -> Page[Topic]:
    topics = _with_read_state(
        visible_topics(user).filter(tags=tag).select_related("author", "board").prefetch_related("tags"), user
    )
    return Paginator(topics.order_by("-last_post_at"), TOPICS_PER_PAGE).get_page(page_number)


class _JSONList(Aggregate):
    """The grouped rows as one JSON array: lets a short to-many list travel inside its parent's row."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Sequence[Any]]:
        # JSONB, not JSON: Django reads jsonb columns back as text, which JSONField decodes.
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _unread_notifications(user_id: int) -> Coalesce:
    return Coalesce(
        Subquery(
            Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )


def _viewer_suspended(user_id: int) -> Exists:
    # The database's clock, not a value from Python: the prepared queries below keep their SQL.
    return Exists(
        Suspension.objects.filter(Q(board__isnull=True) | Q(board=OuterRef("board")), user_id=user_id, until__gt=Now())
    )


def _topic_for_page_query(pk: int, user_id: int | None = None) -> QuerySet[Any]:
    tags = (
        Tag.objects.filter(topics=OuterRef("pk"))
        .order_by()
        .values("topics")
        .annotate(rows=_JSONList(JSONObject(pk="pk", name="name", slug="slug")))
        .values("rows")
    )
    # Any: the annotations differ between visitors and people logged in.
    topics: QuerySet[Any] = Topic.objects.select_related("board", "board__body", "poll").annotate(
        tag_rows=Subquery(tags, output_field=JSONField())
    )
    if user_id is not None:
        topics = topics.annotate(
            last_read_number=_last_read_number(user_id),
            watch_level=Subquery(
                TopicSubscription.objects.filter(user_id=user_id, topic=OuterRef("pk")).values("level")[:1]
            ),
            viewer_suspended=_viewer_suspended(user_id),
            unread_notification_count=_unread_notifications(user_id),
            unread_notice_count=notices.unread_count_subquery(user_id),
        )
    return topics.filter(pk=pk).order_by()[:1]


# Asked on every view of a topic and every reply: compiled once (core.prepared), which saves more
# Python than the database needs to answer them.
_TOPIC_FOR_VISITOR = PreparedQuery(_topic_for_page_query, "pk")
_TOPIC_FOR_MEMBER = PreparedQuery(_topic_for_page_query, "pk", "user_id")


def topic_for_page(pk: int, user: Viewer) -> Topic | None:
    """The topic for its page in one query: tags, and for people logged in their read mark, watch level,
    forum suspension, unread notification count and the header's count of unread notices, which the
    page would otherwise ask for one by one.

    The topic carries `tag_list` and `unread_notification_count`; the suspension is remembered on the user.
    """
    if user.is_authenticated:
        found = _TOPIC_FOR_MEMBER(pk=pk, user_id=user.pk)
    else:
        found = _TOPIC_FOR_VISITOR(pk=pk)
    if not found:
        return None
    topic: Any = found[0]
    topic.tag_list = sorted((Tag(**row) for row in topic.tag_rows or ()), key=lambda tag: tag.name)
    if user.is_authenticated:
        _remember_suspension(user, topic)
        notices.remember_unread_count(user, topic.unread_notice_count)
    else:
        topic.unread_notification_count = 0
    return topic


def _remember_suspension(user: Viewer, topic: Any) -> None:
    # The cache permissions.is_suspended keeps per request: filled here, it costs no query of its own.
    user.__dict__.setdefault("_forum_suspended_cache", {})[topic.board_id] = topic.viewer_suspended


def _topic_for_reply_query(pk: int, user_id: int) -> QuerySet[Any]:
    return (
        Topic.objects.select_related("board", "board__body")
        .annotate(viewer_suspended=_viewer_suspended(user_id))
        .filter(pk=pk)
        .order_by()[:1]
    )


_TOPIC_FOR_REPLY = PreparedQuery(_topic_for_reply_query, "pk", "user_id")


def topic_for_reply(pk: int, user: Viewer) -> Topic | None:
    """The topic with its board and body for the reply form, and whether the person is suspended in it,
    in one query (the permission check asks for the suspension)."""
    if not user.is_authenticated:
        return Topic.objects.select_related("board", "board__body").filter(pk=pk).first()
    found = _TOPIC_FOR_REPLY(pk=pk, user_id=user.pk)
    if not found:
        return None
    _remember_suspension(user, found[0])
    return found[0]


def read_number(user: Viewer, topic: Topic) -> int:
    if not user.is_authenticated:
        return 0
    return TopicRead.objects.filter(user=user, topic=topic).values_list("last_read_number", flat=True).first() or 0


def page_of_post(number: int) -> int:
    return (max(number, 1) - 1) // POSTS_PER_PAGE + 1


class _PostPaginator(Paginator):
    """A topic's pages: a page is a range of post numbers (as page_of_post assumes), so the topic's
    counter stands in for a COUNT(*) and an indexed range for an OFFSET that grows with the topic.

    `page_range` holds only the numbers includes/pagination.html can show (the first and the last
    page, and three either side of the current one): the partial walks the whole range, which would
    be 500 numbers on every page of a topic with 10,000 posts.
    """

    def __init__(self, topic: Topic) -> None:
        super().__init__(range(topic.last_post_number), POSTS_PER_PAGE)
        self.current = 1

    def page(self, number: int | str) -> Page[int]:
        page = super().page(number)
        self.current = page.number
        return page

    @property
    def page_range(self) -> list[int]:  # type: ignore[override]  # a list of the numbers to show, not a range
        last = self.num_pages
        return sorted({1, last, *range(max(1, self.current - 3), min(last, self.current + 3) + 1)})


def _posts_page_query(topic_id: int, after: int, last: int) -> QuerySet[Post]:
    reactions = (
        Reaction.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(rows=_JSONList(JSONObject(kind="kind", user="user_id")))
        .values("rows")
    )
    return (
        Post.objects.filter(topic_id=topic_id, number__gt=after, number__lte=last)
        .select_related("author", "author__organisation")
        # The page shows the HTML rendered when the post was saved; the Markdown source is for editing.
        .defer("markdown")
        # The reactions travel inside their post's row: one round trip fewer for every page.
        .annotate(reaction_rows=Subquery(reactions, output_field=JSONField()))
        .order_by("number")
    )


_POSTS_PAGE = PreparedQuery(_posts_page_query, "topic_id", "after", "last")


def posts_page(topic: Topic, user: Viewer, page_number: int | str | None = 1) -> Page[Any]:
    """One page of a topic's posts with authors, attachments and reaction tallies, in a fixed number of queries."""
    page = _PostPaginator(topic).get_page(page_number)
    first = (page.number - 1) * POSTS_PER_PAGE
    page.object_list = _POSTS_PAGE(topic_id=topic.pk, after=first, last=first + POSTS_PER_PAGE)
    attach_attachments(page.object_list)
    attach_reaction_tallies(page.object_list, user)
    return page


def posts_after(topic: Topic, post_id: int, limit: int) -> list[Post]:
    """Posts of the topic with an id above `post_id`, in reading order, for a live client that catches up."""
    return list(
        Post.objects.filter(topic=topic, pk__gt=post_id)
        .select_related("author", "author__organisation")
        .order_by("number", "pk")[:limit]
    )


def posts_changed_since(topic: Topic, shown_versions: dict[int, int]) -> list[Post]:
    """Of the posts a page shows ({post id: live_version}), those that were edited, deleted or
    hidden (or shown again) since, in reading order."""
    posts = (
        Post.objects.filter(topic=topic, pk__in=shown_versions)
        .select_related("author", "author__organisation")
        .order_by("number", "pk")
    )
    return [post for post in posts if post.live_version != shown_versions[post.pk]]


def attach_attachments(posts: list[Post]) -> None:
    """Sets `attachment_list` on each post, asking only about the posts that have files."""
    by_post = defaultdict(list)
    with_files = [post.pk for post in posts if post.has_attachments]
    if with_files:
        for attachment in Attachment.objects.filter(post_id__in=with_files).order_by("pk"):
            by_post[attachment.post_id].append(attachment)
    for post in posts:
        post.attachment_list = by_post[post.pk]


def _reactions_of(posts: list[Post]) -> list[tuple[int, str, int]]:
    """(post id, kind, user id) of every reaction to `posts`: from the posts' `reaction_rows` where
    their query brought them along (posts_page), else in one query."""
    if all(hasattr(post, "reaction_rows") for post in posts):
        return [(post.pk, row["kind"], row["user"]) for post in posts for row in post.reaction_rows or ()]  # type: ignore[attr-defined]
    return list(
        Reaction.objects.filter(post_id__in=[post.pk for post in posts]).values_list("post_id", "kind", "user_id")
    )


def attach_reaction_tallies(posts: list[Post], user: Viewer) -> None:
    tallies: defaultdict[int, defaultdict[str, dict[str, Any]]] = defaultdict(
        lambda: defaultdict(lambda: {"count": 0, "mine": False})
    )
    for post_id, kind, user_id in _reactions_of(posts):
        entry = tallies[post_id][kind]
        entry["count"] += 1
        entry["mine"] = entry["mine"] or user_id == user.pk
    labels = [(kind, str(label), REACTION_EMOJI[kind]) for kind, label in Reaction.Kind.choices]
    for post in posts:
        post.reaction_tally = [
            {"kind": kind, "label": label, "emoji": emoji, **tallies[post.pk][kind]} for kind, label, emoji in labels
        ]


def board_watch_level(user: Viewer, board: Board) -> str:
    if not user.is_authenticated:
        return WatchLevel.NORMAL
    return board.subscriptions.filter(user=user).values_list("level", flat=True).first() or WatchLevel.NORMAL


def unread_notification_count(user: Viewer) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor", "post", "post__topic")


def people_to_mention(board: Board, query: str, limit: int = 10) -> list[User]:
    """People who may read the board and whose name starts with the query, for the @-autocomplete."""
    User = get_user_model()
    people = User.objects.filter(is_active=True, approval=User.Approval.APPROVED).exclude(display_name="")
    if not board.is_public and board.body is not None and board.body.is_members_only:
        people = people.filter(Q(memberships__body=board.body) | Q(groups__name=access.COORDINATION_GROUP))
    words = query.replace("_", " ").strip()
    if words:
        people = people.filter(Q(display_name__istartswith=words) | Q(display_name__icontains=" " + words))
    return list(people.distinct().order_by("display_name")[:limit])


def open_reports(user: Viewer) -> QuerySet[Report]:
    return (
        Report.objects.filter(status=Report.Status.OPEN, post__topic__board__in=permissions.moderated_boards(user))
        .select_related("post", "post__topic", "post__topic__board", "post__author", "reporter")
        .order_by("created_at")
    )


def audit_log(user: Viewer) -> QuerySet[AuditLog]:
    entries = AuditLog.objects.select_related("actor", "board")
    if access.is_coordinator(user):
        return entries
    return entries.filter(board__in=permissions.moderated_boards(user))


def boards_for_move(user: Viewer, exclude: Board) -> QuerySet[Board]:
    return permissions.moderated_boards(user).exclude(pk=exclude.pk)


def board_list_by_kind(boards: list[Board]) -> tuple[list[Board], list[Board]]:
    general = [board for board in boards if board.body_id is None]
    bodies = [board for board in boards if board.body_id is not None]
    return general, bodies


def unread_posts_from(user: Viewer, topic: Topic) -> int:
    """The number of the first post this user has not read yet."""
    return min(read_number(user, topic) + 1, max(topic.last_post_number, 1))


def public_feed_has_posts() -> bool:
    """Whether the public Atom feed (forum.feeds.PublicPostsFeed) has anything in it: an empty feed is not offered."""
    return permissions.visible_posts(AnonymousUser()).exists()


# Polls ------------------------------------------------------------------------------------


@dataclass
class PollOptionResult:
    pk: int
    text: str
    count: int
    percent: int
    chosen: bool
    voters: list[str]


@dataclass
class PollView:
    """A poll as one person sees it: what they chose, what they may do, and the results if they may see them."""

    poll: Poll
    options: list[PollOptionResult]
    voter_count: int
    has_voted: bool
    can_vote: bool
    can_close: bool
    show_results: bool
    results_note: str


def poll_view(user: Viewer, poll: Poll) -> PollView:
    """Three queries: the options, the person's own votes, the counts (plus the names of a public poll)."""
    options = list(poll.options.all())
    mine = (
        set(PollVote.objects.filter(poll=poll, user_id=user.pk).values_list("option_id", flat=True))
        if user.is_authenticated
        else set()
    )
    try:
        permissions.check_see_poll_results(user, poll, has_voted=bool(mine))
        show_results, note = True, ""
    except PermissionDenied as refusal:
        show_results, note = False, message_of(refusal)
    counts: dict[int, int] = {}
    voters: dict[int, list[str]] = defaultdict(list)
    voter_count = 0
    if show_results:
        votes = PollVote.objects.filter(poll=poll)
        counts = dict(votes.values_list("option_id").annotate(total=Count("pk")).order_by())
        voter_count = votes.values("user_id").distinct().count()
        if not poll.is_secret:
            for vote in votes.select_related("user").order_by("created_at", "pk"):
                voters[vote.option_id].append(vote.user.public_name)
    return PollView(
        poll=poll,
        options=[
            PollOptionResult(
                pk=option.pk,
                text=option.text,
                count=counts.get(option.pk, 0),
                percent=round(100 * counts.get(option.pk, 0) / voter_count) if voter_count else 0,
                chosen=option.pk in mine,
                voters=voters.get(option.pk, []),
            )
            for option in options
        ],
        voter_count=voter_count,
        has_voted=bool(mine),
        can_vote=permissions.can_vote(user, poll),
        can_close=permissions.can_close_poll(user, poll),
        show_results=show_results,
        results_note=note,
    )
