"""The forum's part of a person's data: in their download, and what happens to it when they delete their account.

Posts belong to the conversation: they stay, shown as written by „gelöschte Person“, unless the
person asks for their posts to go as well. Then the text, earlier versions and attachments are
removed and others see „Beitrag gelöscht“ in place; a topic disappears only when nobody else
wrote in it, so other people's replies never vanish with it.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from core.privacy import register_part

from . import live, search
from .models import (
    Attachment,
    AuditLog,
    Board,
    BoardSubscription,
    Notification,
    Post,
    PostRevision,
    Reaction,
    Report,
    Suspension,
    TagFollow,
    Topic,
    TopicRead,
    TopicSubscription,
)
from .services import _recount


def _post_data(post, attachments):
    return {
        "id": post.pk,
        "url": post.get_absolute_url(),
        "topic": post.topic.title,
        "topic_id": post.topic_id,
        "board": post.topic.board.name,
        "number": post.number,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "deleted_at": post.deleted_at,
        "hidden_by_moderation": post.is_hidden,
        "text": post.markdown,
        "attachments": attachments.get(post.pk, []),
    }


def export_personal_data(user):
    """What the forum stores about `user`; a fixed number of queries however much they wrote."""
    posts = list(Post.objects.filter(author=user).select_related("topic", "topic__board").order_by("created_at", "pk"))
    attachments = {}
    for attachment in Attachment.objects.filter(post__author=user).order_by("pk"):
        attachments.setdefault(attachment.post_id, []).append(
            {"name": attachment.original_name, "type": attachment.content_type, "size": attachment.size}
        )
    revisions = PostRevision.objects.filter(Q(post__author=user) | Q(edited_by=user)).order_by("created_at", "pk")
    return {
        "posts": [_post_data(post, attachments) for post in posts],
        # A revision keeps the text a post had before an edit. Of other people's posts only the
        # fact of the edit is theirs to download, not the other person's text.
        "revisions": [
            {
                "post_id": revision.post_id,
                "created_at": revision.created_at,
                "edited_by_you": revision.edited_by_id == user.pk,
                "previous_text": revision.markdown if revision.post.author_id == user.pk else None,
            }
            for revision in revisions.select_related("post")
        ],
        "topics_started": [
            {"id": topic.pk, "title": topic.title, "board": topic.board.name, "created_at": topic.created_at}
            for topic in Topic.objects.filter(author=user).select_related("board").order_by("created_at", "pk")
        ],
        "reactions": [
            {"post_id": reaction.post_id, "topic": reaction.post.topic.title, "kind": reaction.get_kind_display()}
            for reaction in Reaction.objects.filter(user=user).select_related("post__topic").order_by("pk")
        ],
        "watched_boards": [
            {"board": subscription.board.name, "level": subscription.get_level_display()}
            for subscription in BoardSubscription.objects.filter(user=user).select_related("board").order_by("pk")
        ],
        "watched_topics": [
            {"topic": subscription.topic.title, "level": subscription.get_level_display()}
            for subscription in TopicSubscription.objects.filter(user=user).select_related("topic").order_by("pk")
        ],
        "followed_tags": list(
            TagFollow.objects.filter(user=user).order_by("tag__name").values_list("tag__name", flat=True)
        ),
        "read_marks": [
            {"topic": read.topic.title, "last_read_number": read.last_read_number}
            for read in TopicRead.objects.filter(user=user).select_related("topic").order_by("pk")
        ],
        "notifications": [
            {
                "kind": notification.get_kind_display(),
                "topic": notification.post.topic.title,
                "post_id": notification.post_id,
                "created_at": notification.created_at,
                "read_at": notification.read_at,
                "emailed_at": notification.emailed_at,
            }
            for notification in Notification.objects.filter(recipient=user).select_related("post__topic")
        ],
        "reports_filed": [
            {
                "post_id": report.post_id,
                "reason": report.reason,
                "status": report.get_status_display(),
                "created_at": report.created_at,
            }
            for report in Report.objects.filter(reporter=user).order_by("created_at")
        ],
        "suspensions": list(
            Suspension.objects.filter(user=user).values("board__name", "until", "reason", "created_at")
        ),
    }


def _delete_attachment_files_after_commit(attachments):
    for attachment in attachments:
        storage, name = attachment.file.storage, attachment.file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def delete_posts_of(user):
    """Remove what `user` wrote: topics only they wrote in go entirely; elsewhere their posts become
    placeholders without text, revisions or attachments."""
    now = timezone.now()
    # Posts of already deleted people (author NULL) count as other people's replies.
    own_topics = list(
        Topic.objects.filter(author=user).exclude(pk__in=Post.objects.exclude(author=user).values("topic"))
    )
    topic_ids = [topic.pk for topic in own_topics]
    boards = {topic.board_id for topic in own_topics}
    posts = Post.objects.filter(author=user)
    search.forget_posts(list(posts.values_list("pk", flat=True)))
    _delete_attachment_files_after_commit(Attachment.objects.filter(post__author=user))
    Attachment.objects.filter(post__author=user).delete()
    PostRevision.objects.filter(post__author=user).delete()
    Topic.objects.filter(pk__in=topic_ids).delete()
    posts.filter(deleted_at__isnull=True).update(deleted_at=now)
    posts.update(markdown="", html="", deleted_by=None, has_attachments=False)
    for board in Board.objects.filter(pk__in=boards):
        _recount(board)
    emptied = list(posts.select_related("topic"))

    def announce():
        for topic_id in topic_ids:
            live.broadcast_access_changed_for_topic(topic_id)
        for post in emptied:
            live.broadcast_post_edited(post)

    transaction.on_commit(announce)


def erase_personal_data(user, *, delete_posts=False):
    """Run inside the account deletion's transaction, before the account row goes.

    Posts and topics lose their author (shown as „gelöschte Person“); reactions, read marks,
    watches, notifications and suspensions go with the account row. Reports the person filed
    stay with their reason, without the reporter, as part of the moderation record.
    """
    if delete_posts:
        delete_posts_of(user)
    user_id = user.pk
    # The moderation log keeps that a person was suspended, not who it was.
    AuditLog.objects.filter(target_type=user._meta.model_name, target_id=user_id).update(
        target_label=gettext("gelöschte Person")
    )
    # Open live connections of the account fall back to what anonymous visitors may see.
    transaction.on_commit(lambda: live.broadcast_access_changed_for_user(user_id))


register_part(
    "forum",
    export=lambda subject: export_personal_data(subject.user),
    erase=lambda subject: erase_personal_data(subject.user, delete_posts=subject.delete_posts),
)
