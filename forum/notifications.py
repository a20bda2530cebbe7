"""Who hears about a new post, and the e-mails that tell them: one per topic after a short window, or in a digest.

The in-app notification is created (and announced to open pages) at once. The mail waits
FORUM_MAIL_BATCH_SECONDS, as Discourse does: everything a person got from one topic in that window
arrives as one mail. `tasks.notify_about_post` schedules one `send_topic_mail` per person and topic
for the end of the window; `send_topic_mail` claims each notification by setting its `emailed_at`
only where it is still empty, so a notification is mailed once even if that task runs twice.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import absolute_url, render_templated_mail

from . import live, permissions
from .mentions import mentioned_people
from .models import BoardSubscription, Notification, Post, TagFollow, TopicSubscription, WatchLevel

User = get_user_model()
Kind = Notification.Kind
UNSUBSCRIBE_SALT = "forum.unsubscribe"
DIGEST_LOOKBACK = timedelta(days=30)
SCHEDULE_MARGIN = timedelta(seconds=10)


def _recipients_for(post):
    """Map recipient → kind; a stronger reason (mention) wins over a weaker one (watching)."""
    topic = post.topic
    chosen = {}

    def offer(user, kind):
        if user is not None and user.pk != post.author_id and user.pk not in chosen:
            chosen[user.pk] = (user, kind)

    muted = set(TopicSubscription.objects.filter(topic=topic, level=WatchLevel.MUTED).values_list("user_id", flat=True))
    for person in mentioned_people(post.markdown):
        if person.notify_on_mention:
            offer(person, Kind.MENTION)
    if post.number > 1:
        replied = [post.reply_to.author if post.reply_to_id else None, topic.author]
        for person in replied:
            if person is not None and person.notify_on_reply and person.pk not in muted:
                offer(person, Kind.REPLY)
        for subscription in TopicSubscription.objects.filter(topic=topic, level=WatchLevel.WATCHING).select_related(
            "user"
        ):
            offer(subscription.user, Kind.WATCHED_REPLY)
    else:
        for subscription in BoardSubscription.objects.filter(
            board=topic.board, level=WatchLevel.WATCHING
        ).select_related("user"):
            offer(subscription.user, Kind.NEW_TOPIC)
        for follow in TagFollow.objects.filter(tag__in=topic.tags.all()).select_related("user"):
            offer(follow.user, Kind.NEW_TOPIC)
    return chosen.values()


def fan_out(post_id):
    post = Post.objects.select_related("topic", "topic__board", "topic__board__body", "author", "reply_to").get(
        pk=post_id
    )
    if post.is_deleted or post.is_hidden:
        return []
    created = []
    for user, kind in _recipients_for(post):
        # Access may have changed since the post was written; the recipient must be able to read it now.
        if user.is_active and permissions.can_see_post(user, post):
            notification, was_new = Notification.objects.get_or_create(
                recipient=user, post=post, kind=kind, defaults={"actor": post.author}
            )
            if was_new:
                created.append(notification)
    _announce(created)
    return created


def notify_accepted(post_id):
    post = Post.objects.select_related("topic", "topic__board", "topic__board__body", "author").get(pk=post_id)
    author = post.author
    if author is None or author.pk == post.topic.author_id or not permissions.can_see_post(author, post):
        return []
    if not author.notify_on_reply:
        return []
    notification, was_new = Notification.objects.get_or_create(
        recipient=author, post=post, kind=Kind.ACCEPTED, defaults={"actor": post.topic.author}
    )
    if was_new:
        _announce([notification])
    return [notification] if was_new else []


def _announce(notifications):
    """Badges of open pages count the new notifications once they are committed."""
    user_ids = [notification.recipient_id for notification in notifications]
    if user_ids:
        transaction.on_commit(lambda: live.broadcast_notifications_changed(user_ids))


# Unsubscribing ---------------------------------------------------------------

UNSUBSCRIBE_KINDS = {
    Kind.REPLY: "reply",
    Kind.ACCEPTED: "reply",
    Kind.WATCHED_REPLY: "watching",
    Kind.MENTION: "mention",
    Kind.NEW_TOPIC: "watching",
}


def unsubscribe_token(user, what):
    return signing.dumps({"u": user.pk, "w": what}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None, None
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None or data.get("w") not in {"reply", "mention", "watching", "all"}:
        return None, None
    return user, data["w"]


def unsubscribe(user, what):
    """One click, no login: switch off exactly the kind of mail the link came with."""
    if what == "reply":
        user.notify_on_reply = False
        user.save(update_fields=["notify_on_reply"])
    elif what == "mention":
        user.notify_on_mention = False
        user.save(update_fields=["notify_on_mention"])
    elif what == "watching":
        BoardSubscription.objects.filter(user=user, level=WatchLevel.WATCHING).update(level=WatchLevel.NORMAL)
        TopicSubscription.objects.filter(user=user, level=WatchLevel.WATCHING).update(level=WatchLevel.NORMAL)
        TagFollow.objects.filter(user=user).delete()
    else:
        user.notify_by_email = User.Delivery.NEVER
        user.save(update_fields=["notify_by_email"])


def _send(user, template, context, what, connection):
    unsubscribe_url = absolute_url(reverse("forum:unsubscribe", args=[unsubscribe_token(user, what)]))
    subject, body = render_templated_mail(
        f"forum/email/{template}",
        {
            "person": user,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": absolute_url(reverse("network:profile")),
            **context,
        },
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        connection=connection,
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.send()


def batch_window():
    return timedelta(seconds=settings.FORUM_MAIL_BATCH_SECONDS)


def mails_to_schedule(notifications):
    """(recipient id, topic id) of the new notifications that start a mail: those of people who get mail at once
    and have no mail from that topic already waiting for the end of its window.

    A mail whose window ends within SCHEDULE_MARGIN may be going out right now, without the new notification:
    then the new one gets a mail of its own rather than none."""
    due = []
    for notification in notifications:
        if notification.recipient.notify_by_email != User.Delivery.IMMEDIATE:
            continue
        topic_id = notification.post.topic_id
        waiting = (
            Notification.objects.filter(
                recipient_id=notification.recipient_id,
                post__topic_id=topic_id,
                emailed_at__isnull=True,
                created_at__gt=notification.created_at - batch_window() + SCHEDULE_MARGIN,
            )
            .exclude(pk=notification.pk)
            .exists()
        )
        if not waiting:
            due.append((notification.recipient_id, topic_id))
    return due


def _still_wanted(person, notification):
    """The person's settings and access when the mail goes out, not when the post was written."""
    post = notification.post
    if post.is_deleted or post.is_hidden or not permissions.can_see_post(person, post):
        return False
    if notification.kind == Kind.MENTION:
        return person.notify_on_mention
    if notification.kind in (Kind.REPLY, Kind.ACCEPTED):
        return person.notify_on_reply
    return True


def _claim(notification, now):
    return Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=now) == 1


def send_topic_mail(recipient_id, topic_id):
    """One mail with every notification from one topic that `recipient` has not had by mail; returns how
    many it carried (0: nothing was waiting, or another run of this task sent it)."""
    person = User.objects.filter(pk=recipient_id, is_active=True).first()
    # Someone who switched to a digest in the meantime gets these in the digest.
    if person is None or person.notify_by_email != User.Delivery.IMMEDIATE:
        return 0
    pending = (
        Notification.objects.filter(recipient=person, post__topic_id=topic_id, emailed_at__isnull=True)
        .select_related("actor", "post", "post__topic", "post__topic__board", "post__topic__board__body")
        .order_by("created_at", "pk")
    )
    now = timezone.now()
    claimed = [n for n in pending if _still_wanted(person, n) and _claim(n, now)]
    if not claimed:
        return 0
    kinds = {UNSUBSCRIBE_KINDS[n.kind] for n in claimed}
    try:
        with get_connection() as connection:
            _send(
                person,
                "notification",
                {
                    "topic": claimed[0].post.topic,
                    "items": [(n, absolute_url(n.post.get_absolute_url())) for n in claimed],
                },
                kinds.pop() if len(kinds) == 1 else "all",
                connection,
            )
    except Exception:
        # Not sent: the next mail from this topic (or a digest, after a change of settings) carries them.
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=None)
        raise
    return len(claimed)


def send_digests(period):
    """One mail per person with everything they have not had by mail yet; returns the number of mails."""
    delivery = {"daily": User.Delivery.DAILY, "weekly": User.Delivery.WEEKLY}[period]
    pending = (
        Notification.objects.filter(
            recipient__notify_by_email=delivery,
            recipient__is_active=True,
            emailed_at__isnull=True,
            created_at__gte=timezone.now() - DIGEST_LOOKBACK,
        )
        .select_related("recipient", "actor", "post", "post__topic", "post__topic__board", "post__topic__board__body")
        .order_by("recipient_id", "created_at")
    )
    by_person = {}
    for notification in pending:
        by_person.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    with get_connection() as connection:
        for notifications in by_person.values():
            person = notifications[0].recipient
            readable = [n for n in notifications if permissions.can_see_post(person, n.post) and not n.post.is_deleted]
            if readable:
                _send(
                    person,
                    "digest",
                    {
                        "period": period,
                        "items": [(n, absolute_url(n.post.get_absolute_url())) for n in readable],
                    },
                    "all",
                    connection,
                )
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    return sent
