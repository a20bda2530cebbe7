"""Operations that change the forum and fire their side effects (live events, notifications)."""

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Max, Model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.permissions import Viewer
from core.uploads import clean_filename
from network.models import NetworkBody, User

from . import floodcontrol, live, markdown, permissions, search
from .attachments import detect_type
from .models import (
    Attachment,
    AuditLog,
    Board,
    BoardSubscription,
    Notification,
    Poll,
    PollOption,
    PollVote,
    Post,
    PostRevision,
    Reaction,
    Report,
    Suspension,
    Tag,
    TagFollow,
    Topic,
    TopicRead,
    TopicSubscription,
    WatchLevel,
)
from .tasks import notify_about_post, notify_accepted_answer
from .textchecks import validate_post_text, validate_title

MAX_TAGS = 5
MAX_ATTACHMENTS = 5


def max_post_chars() -> int:
    return getattr(settings, "FORUM_POST_MAX_CHARS", 20_000)


# Boards -------------------------------------------------------------------


def _unique_slug(base: str, model: type[Board]) -> str:
    slug = slugify(base)[:150] or "forum"
    candidate, number = slug, 2
    while model.objects.filter(slug=candidate).exists():
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def ensure_body_board(body: NetworkBody) -> Board:
    board, _created = Board.objects.get_or_create(
        body=body,
        defaults={"name": body.name, "slug": _unique_slug(body.slug, Board), "kind": Board.Kind.BODY},
    )
    return board


def create_general_board(
    actor: Viewer, name: str, kind: str = Board.Kind.GENERAL, description: str = "", is_public: bool = False
) -> Board:
    permissions.check_create_board(actor)
    validate_title(name)
    return Board.objects.create(
        name=name, slug=_unique_slug(name, Board), kind=kind, description=description, is_public=is_public
    )


# Writing ------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(_("Bitte schreiben Sie einen Text."))
    if len(text) > max_post_chars():
        raise ValidationError(
            _("Der Text ist zu lang (höchstens %(limit)d Zeichen, Ihr Text hat %(length)d).")
            % {"limit": max_post_chars(), "length": len(text)}
        )
    validate_post_text(text)
    return text


def _check_files(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(_("Sie können höchstens %(limit)d Dateien anhängen.") % {"limit": MAX_ATTACHMENTS})
    return [(upload, *detect_type(upload)) for upload in files]


def _store_attachments(post: Post, checked: Sequence[tuple[UploadedFile, str, str]]) -> None:
    for upload, content_type, extension in checked:
        # An upload always has a name and a size; django-stubs types File's as optional.
        name = clean_filename(upload.name or "", extension)
        size: int = upload.size or 0
        attachment = Attachment(post=post, original_name=name, content_type=content_type, size=size)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()


def _tags_from(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in names:
        name = " ".join(name.split())[:50]
        if not name:
            continue
        validate_title(name)
        slug = slugify(name)[:60]
        if not slug:
            raise ValidationError(
                _("Das Schlagwort „%(name)s“ enthält keine Buchstaben oder Ziffern.") % {"name": name}
            )
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.create(name=name, slug=slug)
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("Bitte vergeben Sie höchstens %(limit)d Schlagwörter.") % {"limit": MAX_TAGS})
    return tags


def _after_commit(post: Post, created: bool) -> None:
    def fire() -> None:
        if created:
            live.broadcast_post_created(post)
            notify_about_post.enqueue(post.pk)
        else:
            live.broadcast_post_edited(post)

    transaction.on_commit(fire)


# The topic's fields the live event carries (live.topic_state), read back when the post is counted.
_TOPIC_STATE_COLUMNS = ("board_id", "is_hidden", "is_locked", "is_question", "author_id")

_COUNT_IN_TOPIC = f"""
    UPDATE forum_topic SET last_post_number = last_post_number + 1, post_count = post_count + 1, last_post_at = %(now)s
    WHERE id = %(topic)s RETURNING last_post_number, {", ".join(_TOPIC_STATE_COLUMNS)}, id
"""

# On PostgreSQL the board's counters, the writer's read mark and watch join the counting statement as
# data-modifying CTEs (`counted` is the topic's row as the count left it): one round trip instead of four.
_FOLLOW_COUNT_POSTGRESQL = """
    board AS (
        UPDATE forum_board SET post_count = forum_board.post_count + 1, last_post_at = %(now)s, last_topic_id = counted.id
        FROM counted WHERE forum_board.id = counted.board_id
    ),
    read_mark AS (
        INSERT INTO forum_topicread (user_id, topic_id, last_read_number) SELECT %(user)s, id, last_post_number FROM counted
        ON CONFLICT (user_id, topic_id) DO UPDATE SET last_read_number = EXCLUDED.last_read_number
    ),
    watch AS (
        INSERT INTO forum_topicsubscription (user_id, topic_id, level) SELECT %(user)s, id, %(level)s FROM counted
        ON CONFLICT (user_id, topic_id) DO NOTHING
    )
"""


def _topic_gone() -> ValidationError:
    # Deleted (or merged away) since the reply form read it.
    return ValidationError(_("Dieses Thema gibt es nicht mehr."))


# A post's columns that Python fills; the number comes from the count and the search vector from the post and
# its topic in the statement (forum.search keeps it on every later change).
_POST_FIELDS = [field for field in Post._meta.concrete_fields if field.name not in ("id", "number")]


@functools.cache
def _write_post_statement(flood_condition: str | None) -> str:
    """PostgreSQL: a new post counted and written in one statement, which is atomic without a transaction of
    its own — the flood check's counts, the topic's counter (whose row lock orders concurrent replies), the
    board, the read mark, the watch, and the post with its search vector. With a flood check's condition on
    its counts (`PendingCheck.condition`), nothing is written unless they allow the post; the statement
    returns them for `PendingCheck.refuse`."""
    flood = flood_condition is not None
    allowed = f"AND (SELECT {flood_condition} FROM flood)" if flood else ""
    values = ", ".join(
        f"%(post_{field.column})s::{field.cast_db_type(connection)} AS {field.column}"  # type: ignore[attr-defined]  # not in django-stubs
        for field in _POST_FIELDS
    )
    return f"""
        WITH {f"flood AS ({floodcontrol.COUNTS})," if flood else ""}
        counted AS (
            UPDATE forum_topic SET last_post_number = last_post_number + 1, post_count = post_count + 1, last_post_at = %(now)s
            WHERE id = %(topic)s {allowed}
            RETURNING last_post_number, {", ".join(_TOPIC_STATE_COLUMNS)}, id, title
        ),
        {_FOLLOW_COUNT_POSTGRESQL},
        added AS (
            INSERT INTO forum_post ({", ".join(field.column for field in _POST_FIELDS)}, number)
            SELECT new.*, counted.last_post_number FROM counted, (SELECT {values}) AS new
            RETURNING id, html, deleted_at, is_hidden
        ),
        indexed AS (
            INSERT INTO forum_post_search (post_id, board_id, vector)
            SELECT added.id, counted.board_id, {search.postgres_vector("added", "counted")} FROM added, counted
            WHERE {search.postgres_findable("added", "counted")}
        )
        SELECT counted.last_post_number, {", ".join(f"counted.{column}" for column in _TOPIC_STATE_COLUMNS)}, added.id
               {", flood.duplicates, flood.posts, flood.topics" if flood else ""}
        FROM {"flood" if flood else "(VALUES (1)) AS always"} LEFT JOIN counted ON TRUE LEFT JOIN added ON TRUE
    """


def _write_post_postgresql(user: User, topic: Topic, post: Post, flood: floodcontrol.PendingCheck | None) -> None:
    """Writes `post` (number and primary key still unset) with `_write_post_statement` and sends the signals
    Model.save sends for it."""
    pre_save.send(sender=Post, instance=post, raw=False, using=connection.alias, update_fields=None)
    parameters = {
        "now": connection.ops.adapt_datetimefield_value(post.created_at), "topic": topic.pk, "user": user.pk,
        "level": WatchLevel.WATCHING, **(flood.parameters if flood else {}),
        **{f"post_{field.column}": field.get_db_prep_save(field.pre_save(post, True), connection)
           for field in _POST_FIELDS},
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_write_post_statement(flood and flood.condition("flood")), parameters)
        row = cursor.fetchone()
    state_end = len(_TOPIC_STATE_COLUMNS) + 1
    if flood:
        flood.refuse(*row[state_end + 1 :])
    if row[0] is None:
        raise _topic_gone()
    for column, value in zip(_TOPIC_STATE_COLUMNS, row[1:state_end]):
        setattr(topic, column, value)
    topic.last_post_number, topic.last_post_at = row[0], post.created_at
    post.number, post.pk = row[0], row[state_end]
    post._state.adding, post._state.db = False, connection.alias
    post_save.send(sender=Post, instance=post, created=True, update_fields=None, raw=False, using=connection.alias)


def _count_post(user: User, topic: Topic, now: datetime) -> int:
    """Counts a new post in `topic` and returns its number (SQLite; PostgreSQL writes the post in the same
    statement, `_write_post_statement`).

    The topic's counter moves in an UPDATE … RETURNING (Django's update() cannot return values); it takes
    the topic's row lock until the transaction ends, so concurrent replies get distinct numbers, and the
    state it reads back under that lock is what the live event carries (no second read after the commit).
    The board's counters follow; the writer has read up to their own post, which is the topic's newest,
    so the read mark only moves forward and can be upserted; writing watches the topic unless the
    person chose a level before (that row stays)."""
    parameters = {"now": connection.ops.adapt_datetimefield_value(now), "topic": topic.pk}
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_IN_TOPIC, parameters)
        row = cursor.fetchone()
    if row is None:
        raise _topic_gone()
    number, *state = row[: len(_TOPIC_STATE_COLUMNS) + 1]
    for column, value in zip(_TOPIC_STATE_COLUMNS, state):
        setattr(topic, column, value)
    topic.last_post_number, topic.last_post_at = number, now
    Board.objects.filter(pk=topic.board_id).update(post_count=F("post_count") + 1, last_post_at=now, last_topic=topic)
    TopicRead.objects.bulk_create(
        [TopicRead(user=user, topic=topic, last_read_number=number)],
        update_conflicts=True,
        unique_fields=["user", "topic"],
        update_fields=["last_read_number"],
    )
    TopicSubscription.objects.bulk_create(
        [TopicSubscription(user=user, topic=topic, level=WatchLevel.WATCHING)], ignore_conflicts=True
    )
    return number


def _add_post(
    user: User,
    topic: Topic,
    text: str,
    reply_to: Post | None = None,
    checked_files: Sequence[tuple[UploadedFile, str, str]] = (),
    flood: floodcontrol.PendingCheck | None = None,
) -> Post:
    """Writes a new post. `flood` (PostgreSQL only) is a flood check still to run: inside the writing statement."""
    post = Post(
        topic=topic,
        author=user,
        markdown=text,
        html=markdown.render(text),
        reply_to=reply_to,
        created_at=timezone.now(),
        has_attachments=bool(checked_files),
    )
    if connection.vendor == "postgresql":
        _write_post_postgresql(user, topic, post, flood)
    else:
        post.number = _count_post(user, topic, post.created_at)
        post.save(force_insert=True)
        search.index_post(post, is_new=True)
    _store_attachments(post, checked_files)
    _after_commit(post, created=True)
    return post


def create_topic(
    user: User,
    board: Board,
    title: str,
    text: str,
    *,
    tags: Iterable[str] = (),
    is_question: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Topic:
    permissions.check_start_topic(user, board)
    title = " ".join(title.split())
    if not title:
        raise ValidationError(_("Bitte geben Sie einen Titel ein."))
    validate_title(title)
    text = _clean_text(text)
    floodcontrol.check(user, text, opens_topic=True)
    checked = _check_files(files)
    with transaction.atomic():
        tag_objects = _tags_from(tags)
        topic = Topic.objects.create(board=board, title=title, author=user, is_question=is_question)
        topic.tags.set(tag_objects)
        Board.objects.filter(pk=board.pk).update(topic_count=F("topic_count") + 1)
        _add_post(user, topic, text, checked_files=checked)
    topic.refresh_from_db()
    return topic


def create_post(
    user: User, topic: Topic, text: str, *, reply_to: Post | None = None, files: Sequence[UploadedFile] = ()
) -> Post:
    permissions.check_reply(user, topic)
    text = _clean_text(text)
    if reply_to is not None and reply_to.topic_id != topic.pk:
        reply_to = None
    if not files and connection.vendor == "postgresql":
        # One statement checks, counts and writes (`_write_post_statement`): no transaction around it, which would
        # cost two more round trips (BEGIN, COMMIT) than the flood check, the count and the post themselves.
        return _add_post(user, topic, text, reply_to=reply_to, flood=floodcontrol.prepare(user, text))
    floodcontrol.check(user, text)
    checked = _check_files(files)
    with transaction.atomic():
        return _add_post(user, topic, text, reply_to=reply_to, checked_files=checked)


def _audit(actor: User, action: str, target: Model, reason: str = "", board: Board | None = None) -> None:
    AuditLog.objects.create(
        actor=actor,
        action=action,
        board=board,
        target_type=target._meta.model_name,  # type: ignore[misc]  # None only for abstract models
        target_id=target.pk,
        target_label=str(target)[:250],
        reason=reason,
    )


def edit_post(user: User, post: Post, text: str) -> Post:
    permissions.check_edit_post(user, post)
    text = _clean_text(text)
    if text == post.markdown:
        return post
    with transaction.atomic():
        PostRevision.objects.create(post=post, markdown=post.markdown, html=post.html, edited_by=user)
        post.markdown = text
        post.html = markdown.render(text)
        post.edited_at = timezone.now()
        post.revision_count = F("revision_count") + 1
        post.save(update_fields=["markdown", "html", "edited_at", "revision_count"])
        post.refresh_from_db(fields=["revision_count"])
        if post.author_id != user.pk:
            _audit(user, AuditLog.Action.EDIT_POST, post, board=post.topic.board)
        search.index_post(post)
        _after_commit(post, created=False)
    return post


def delete_post(user: User, post: Post, reason: str = "") -> Post:
    permissions.check_delete_post(user, post)
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.deleted_by = user
        post.save(update_fields=["deleted_at", "deleted_by"])
        if post.author_id != user.pk:
            _audit(user, AuditLog.Action.DELETE_POST, post, reason, board=post.topic.board)
        search.index_post(post)
        _after_commit(post, created=False)
    return post


def toggle_reaction(user: User, post: Post, kind: str) -> bool:
    permissions.check_react(user, post)
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Diese Reaktion gibt es nicht."))
    deleted, _details = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if not deleted:
        Reaction.objects.get_or_create(post=post, user=user, kind=kind)
    return not deleted


def accept_answer(user: User, topic: Topic, post: Post) -> Topic:
    permissions.check_accept_answer(user, topic)
    if post.topic_id != topic.pk or post.number == 1:
        raise ValidationError(_("Der erste Beitrag eines Themas kann nicht seine Lösung sein."))
    unaccept = topic.accepted_post_id == post.pk
    topic.accepted_post = None if unaccept else post
    topic.save(update_fields=["accepted_post"])
    if not unaccept:
        transaction.on_commit(lambda: notify_accepted_answer.enqueue(post.pk))
    return topic


# Reading and watching ------------------------------------------------------


def mark_read(user: Viewer, topic: Topic, number: int) -> None:
    """Move the read mark forward only: opening an old page must not make newer posts unread again."""
    if not user.is_authenticated:
        return
    updated = TopicRead.objects.filter(user=user, topic=topic, last_read_number__lt=number).update(
        last_read_number=number
    )
    if not updated:
        TopicRead.objects.get_or_create(user=user, topic=topic, defaults={"last_read_number": number})


def set_topic_watch(user: User, topic: Topic, level: str) -> None:
    permissions.check_watch_topic(user, topic)
    TopicSubscription.objects.update_or_create(user=user, topic=topic, defaults={"level": level})


def watch_board_of_new_member(user: User, body: NetworkBody) -> None:
    """A new member follows the body's board ("Als Mitglied erhalten Sie … Ankündigungen"); a level the
    person chose before (e.g. muted) stays."""
    board = Board.objects.filter(body=body).first()
    if board is not None and permissions.can_see_board(user, board):
        BoardSubscription.objects.get_or_create(user=user, board=board, defaults={"level": WatchLevel.WATCHING})


def forget_board_of_former_member(user: User, body: NetworkBody) -> None:
    """Leaving a body ends the subscription to its board: no mails about a board the person left."""
    BoardSubscription.objects.filter(user=user, board__body=body).delete()


def set_board_watch(user: User, board: Board, level: str) -> None:
    permissions.check_watch_board(user, board)
    BoardSubscription.objects.update_or_create(user=user, board=board, defaults={"level": level})


def toggle_tag_follow(user: User, tag: Tag) -> bool:
    permissions.check_follow_tag(user)
    deleted, _details = TagFollow.objects.filter(user=user, tag=tag).delete()
    if not deleted:
        TagFollow.objects.create(user=user, tag=tag)
    return not deleted


def mark_notifications_read(user: User, ids: Iterable[int] | None = None) -> int:
    notifications = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    changed = notifications.update(read_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: live.broadcast_notifications_changed([user.pk]))
    return changed


# Moderation -----------------------------------------------------------------


def report_post(user: User, post: Post, reason: str) -> Report:
    permissions.check_report(user, post)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Bitte nennen Sie einen Grund für die Meldung."))
    validate_post_text(reason)
    return Report.objects.create(post=post, reporter=user, reason=reason[:1000])


def resolve_report(actor: User, report: Report, status: str, reason: str = "") -> None:
    permissions.check_moderate_board(actor, report.post.topic.board)
    report.status = status
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(
        actor,
        AuditLog.Action.RESOLVE_REPORT,
        report.post,
        reason or report.get_status_display(),
        report.post.topic.board,
    )


def set_post_hidden(actor: User, post: Post, hidden: bool, reason: str = "") -> None:
    board = post.topic.board
    permissions.check_moderate_board(actor, board)
    with transaction.atomic():
        post.is_hidden = hidden
        post.save(update_fields=["is_hidden"])
        if post.number == 1:
            # A hidden opening post takes its topic (and so its title) out of lists, feeds and search.
            Topic.objects.filter(pk=post.topic_id).update(is_hidden=hidden)
            transaction.on_commit(lambda: live.broadcast_access_changed_for_topic(post.topic_id))
        _after_commit(post, created=False)
        _audit(actor, AuditLog.Action.HIDE_POST if hidden else AuditLog.Action.RESTORE_POST, post, reason, board)
        search.index_post(post)


TOPIC_FLAGS = {
    "is_locked": (AuditLog.Action.LOCK_TOPIC, AuditLog.Action.UNLOCK_TOPIC),
    "is_pinned": (AuditLog.Action.PIN_TOPIC, AuditLog.Action.UNPIN_TOPIC),
}


def set_topic_flag(actor: User, topic: Topic, flag: str, value: bool, reason: str = "") -> None:
    permissions.check_moderate_board(actor, topic.board)
    on_action, off_action = TOPIC_FLAGS[flag]
    setattr(topic, flag, value)
    topic.save(update_fields=[flag])
    _audit(actor, on_action if value else off_action, topic, reason, topic.board)


def _recount(board: Board) -> None:
    totals = Topic.objects.filter(board=board).aggregate(last=Max("last_post_at"))
    Board.objects.filter(pk=board.pk).update(
        topic_count=Topic.objects.filter(board=board).count(),
        post_count=Post.objects.filter(topic__board=board).count(),
        last_post_at=totals["last"],
        last_topic=Topic.objects.filter(board=board).order_by("-last_post_at").first(),
    )


def _renumber(topic: Topic) -> None:
    posts = list(topic.posts.order_by("created_at", "pk"))
    for number, post in enumerate(posts, start=1):
        post.number = number
    Post.objects.bulk_update(posts, ["number"])
    Topic.objects.filter(pk=topic.pk).update(
        post_count=len(posts),
        last_post_number=len(posts),
        last_post_at=posts[-1].created_at if posts else topic.created_at,
    )
    # Read marks count posts by number, which just changed: start this topic afresh for everyone.
    TopicRead.objects.filter(topic=topic).delete()


def move_topic(actor: User, topic: Topic, board: Board, reason: str = "") -> Topic:
    permissions.check_moderate_board(actor, topic.board)
    permissions.check_moderate_board(actor, board)
    source = topic.board
    with transaction.atomic():
        topic.board = board
        topic.save(update_fields=["board"])
        # The index holds each post's board: the topic must be found where it is now.
        search.index_topic(topic)
        transaction.on_commit(lambda: live.broadcast_access_changed_for_topic(topic.pk))
        _recount(source)
        _recount(board)
        _audit(actor, AuditLog.Action.MOVE_TOPIC, topic, reason or f"{source} → {board}", board)
    return topic


def merge_topics(actor: User, source: Topic, target: Topic, reason: str = "") -> Topic:
    """Move every post of `source` into `target`, in order of writing, and remove `source`."""
    permissions.check_moderate_board(actor, source.board)
    permissions.check_moderate_board(actor, target.board)
    if source.pk == target.pk:
        raise ValidationError(_("Ein Thema kann nicht mit sich selbst zusammengeführt werden."))
    with transaction.atomic():
        source_board = source.board
        source_id = source.pk
        Post.objects.filter(topic=source).update(topic=target)
        transaction.on_commit(lambda: live.broadcast_access_changed_for_topic(source_id))
        _audit(actor, AuditLog.Action.MERGE_TOPIC, target, reason or f"{source.title} → {target.title}", target.board)
        source.delete()
        _renumber(target)
        _recount(source_board)
        _recount(target.board)
        target.refresh_from_db()
        search.index_topic(target)
    return target


def split_topic(actor: User, topic: Topic, post_ids: Iterable[int], title: str, reason: str = "") -> Topic:
    """Move the chosen replies into a new topic in the same board."""
    permissions.check_moderate_board(actor, topic.board)
    title = " ".join(title.split())
    if not title:
        raise ValidationError(_("Bitte geben Sie einen Titel für das neue Thema ein."))
    validate_title(title)
    posts = list(topic.posts.filter(pk__in=post_ids).exclude(number=1).order_by("number"))
    if not posts:
        raise ValidationError(_("Bitte wählen Sie mindestens eine Antwort aus (nicht den ersten Beitrag)."))
    with transaction.atomic():
        new_topic = Topic.objects.create(
            board=topic.board, title=title, author=posts[0].author, created_at=posts[0].created_at
        )
        Post.objects.filter(pk__in=[post.pk for post in posts]).update(topic=new_topic)
        if topic.accepted_post_id in {post.pk for post in posts}:
            Topic.objects.filter(pk=topic.pk).update(accepted_post=None)
        _renumber(topic)
        _renumber(new_topic)
        _recount(topic.board)
        _audit(actor, AuditLog.Action.SPLIT_TOPIC, topic, reason or title, topic.board)
        new_topic.refresh_from_db()
        search.index_topic(new_topic)
    return new_topic


def suspend_user(actor: User, user: User, days: int, reason: str, board: Board | None = None) -> Suspension:
    """Restrict `user` to reading, in `board` or (without one) in the whole forum, for `days` days."""
    if user.pk == actor.pk:
        raise ValidationError(_("Sie können sich nicht selbst sperren."))
    permissions.check_suspend(actor, user, board)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Bitte nennen Sie einen Grund für die Sperre."))
    with transaction.atomic():
        suspension = Suspension.objects.create(
            user=user, board=board, until=timezone.now() + timedelta(days=days), reason=reason, created_by=actor
        )
        _audit(actor, AuditLog.Action.SUSPEND_USER, user, reason, board)
    permissions.forget_cached_suspension(user)
    return suspension


# Polls ------------------------------------------------------------------------------------

MIN_POLL_OPTIONS = 2
MAX_POLL_OPTIONS = 20


def _poll_options(texts: Iterable[str]) -> list[str]:
    options: list[str] = []
    for text in texts:
        text = " ".join(text.split())
        if text and text.casefold() not in {option.casefold() for option in options}:
            options.append(text)
    if len(options) < MIN_POLL_OPTIONS:
        raise ValidationError(_("Bitte nennen Sie mindestens zwei verschiedene Antwortmöglichkeiten."))
    if len(options) > MAX_POLL_OPTIONS:
        raise ValidationError(
            _("Eine Abstimmung hat höchstens %(limit)d Antwortmöglichkeiten.") % {"limit": MAX_POLL_OPTIONS}
        )
    if any(len(option) > 200 for option in options):
        raise ValidationError(_("Eine Antwortmöglichkeit hat höchstens 200 Zeichen."))
    return options


def create_poll(
    user: User,
    topic: Topic,
    question: str,
    options: Sequence[str],
    *,
    allows_multiple: bool = False,
    closes_at: datetime | None = None,
    is_secret: bool = True,
    results: str = Poll.Results.ALWAYS,
) -> Poll:
    permissions.check_add_poll(user, topic)
    question = " ".join(question.split())
    if not question:
        raise ValidationError(_("Bitte stellen Sie eine Frage."))
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError(_("Das Ende der Abstimmung muss in der Zukunft liegen."))
    texts = _poll_options(options)
    with transaction.atomic():
        poll = Poll.objects.create(
            topic=topic,
            question=question[:300],
            allows_multiple=allows_multiple,
            closes_at=closes_at,
            is_secret=is_secret,
            results=results,
            created_by=user,
        )
        PollOption.objects.bulk_create(
            PollOption(poll=poll, position=position, text=text) for position, text in enumerate(texts)
        )
    return poll


def _locked_poll(poll: Poll) -> Poll:
    """The poll row locked for this transaction: votes of one poll are written one after another,
    and a vote never lands after the poll closed."""
    return Poll.objects.select_for_update().select_related("topic__board").get(pk=poll.pk)


def cast_vote(user: User, poll: Poll, option_ids: Iterable[int]) -> None:
    """The person's choice, replacing an earlier one while the poll is open."""
    chosen = set(option_ids)
    if not chosen:
        raise ValidationError(_("Bitte wählen Sie eine Antwort."))
    with transaction.atomic():
        poll = _locked_poll(poll)
        permissions.check_vote(user, poll)
        offered = set(poll.options.values_list("pk", flat=True))
        if not chosen <= offered:
            raise ValidationError(_("Diese Antwort gehört nicht zu der Abstimmung."))
        if len(chosen) > 1 and not poll.allows_multiple:
            raise ValidationError(_("In dieser Abstimmung können Sie nur eine Antwort wählen."))
        PollVote.objects.filter(poll=poll, user=user).delete()
        PollVote.objects.bulk_create(PollVote(poll=poll, option_id=option_id, user=user) for option_id in chosen)
        transaction.on_commit(lambda: live.broadcast_poll_changed(poll.topic_id, poll.pk))


def withdraw_vote(user: User, poll: Poll) -> None:
    with transaction.atomic():
        poll = _locked_poll(poll)
        permissions.check_vote(user, poll)
        if not PollVote.objects.filter(poll=poll, user=user).delete()[0]:
            raise ValidationError(_("Sie haben in dieser Abstimmung noch nicht abgestimmt."))
        transaction.on_commit(lambda: live.broadcast_poll_changed(poll.topic_id, poll.pk))


def close_poll(user: User, poll: Poll) -> Poll:
    """Ends the vote before its date (or without one); by its author or the board's moderation."""
    with transaction.atomic():
        poll = _locked_poll(poll)
        permissions.check_close_poll(user, poll)
        poll.closed_at = timezone.now()
        poll.closed_by = user
        poll.save(update_fields=["closed_at", "closed_by"])
        if poll.created_by_id != user.pk:
            _audit(user, AuditLog.Action.CLOSE_POLL, poll, board=poll.topic.board)
        transaction.on_commit(lambda: live.broadcast_poll_changed(poll.topic_id, poll.pk))
    return poll
