"""Who hears about a new post, and the e-mails that tell them: at once or in a digest."""

from datetime import timedelta

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


def _recipients_for(post):
    """Map recipient → kind; a stronger reason (mention) wins over a weaker one (watching)."""
    topic = post.topic
    chosen = {}

    def offer(user, kind):
        if user is not None and user.pk != post.author_id and user.pk not in chosen:
            chosen[user.pk] = (user, kind)

    muted = set(
        TopicSubscription.objects.filter(topic=topic, level=WatchLevel.MUTED).values_list("user_id", flat=True)
    )
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
    send_immediate(created)
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
        send_immediate([notification])
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


def send_immediate(notifications):
    due = [n for n in notifications if n.recipient.notify_by_email == User.Delivery.IMMEDIATE]
    if not due:
        return
    with get_connection() as connection:
        for notification in due:
            post = notification.post
            _send(
                notification.recipient,
                "notification",
                {
                    "notification": notification,
                    "post": post,
                    "topic": post.topic,
                    "post_url": absolute_url(post.get_absolute_url()),
                },
                UNSUBSCRIBE_KINDS[notification.kind],
                connection,
            )
    Notification.objects.filter(pk__in=[n.pk for n in due]).update(emailed_at=timezone.now())


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
