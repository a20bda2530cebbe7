"""Limits on how fast one person may post, and a guard against sending the same text twice."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Post

DEFAULTS = {
    "FORUM_POSTS_PER_WINDOW": 10,
    "FORUM_POSTS_PER_WINDOW_NEW_ACCOUNT": 3,
    "FORUM_POST_WINDOW_SECONDS": 300,
    "FORUM_TOPICS_PER_WINDOW": 5,
    "FORUM_TOPICS_PER_WINDOW_NEW_ACCOUNT": 1,
    "FORUM_TOPIC_WINDOW_SECONDS": 3600,
    "FORUM_NEW_ACCOUNT_DAYS": 7,
    "FORUM_DUPLICATE_WINDOW_SECONDS": 600,
}


def setting(name):
    return getattr(settings, name, DEFAULTS[name])


def _is_new_account(user):
    return user.date_joined > timezone.now() - timedelta(days=setting("FORUM_NEW_ACCOUNT_DAYS"))


def _post_rate_message(limit, minutes):
    return ngettext(
        "Sie können höchstens %(limit)d Beitrag in %(minutes)d Minuten schreiben. Bitte warten Sie einen Moment.",
        "Sie können höchstens %(limit)d Beiträge in %(minutes)d Minuten schreiben. Bitte warten Sie einen Moment.",
        limit,
    ) % {"limit": limit, "minutes": minutes}


def _topic_rate_message(limit, minutes):
    return ngettext(
        "Sie können höchstens %(limit)d Thema in %(minutes)d Minuten eröffnen. Bitte warten Sie etwas.",
        "Sie können höchstens %(limit)d Themen in %(minutes)d Minuten eröffnen. Bitte warten Sie etwas.",
        limit,
    ) % {"limit": limit, "minutes": minutes}


def check(user, text, *, opens_topic=False):
    """Refuse a post that comes faster than the limits allow or repeats a recent one.

    Every limit is counted in one query over the author's recent posts; the first post of
    a topic counts for the topic limit as well as for the post limit.
    """
    new = _is_new_account(user)
    now = timezone.now()
    limits = [("posts", "FORUM_POSTS_PER_WINDOW", "FORUM_POST_WINDOW_SECONDS", Q(), _post_rate_message)]
    if opens_topic:
        limits.insert(
            0, ("topics", "FORUM_TOPICS_PER_WINDOW", "FORUM_TOPIC_WINDOW_SECONDS", Q(number=1), _topic_rate_message)
        )
    duplicates_since = now - timedelta(seconds=setting("FORUM_DUPLICATE_WINDOW_SECONDS"))
    counts = {
        "duplicates": Count(
            "pk", filter=Q(created_at__gte=duplicates_since, markdown=text.strip(), deleted_at__isnull=True)
        )
    }
    earliest = duplicates_since
    for name, _limit, window_name, condition, _message in limits:
        since = now - timedelta(seconds=setting(window_name))
        counts[name] = Count("pk", filter=condition & Q(created_at__gte=since))
        earliest = min(earliest, since)
    totals = Post.objects.filter(author=user, created_at__gte=earliest).aggregate(**counts)
    for name, limit_name, window_name, _condition, message in limits:
        limit = setting(f"{limit_name}_NEW_ACCOUNT" if new else limit_name)
        if totals[name] >= limit:
            raise ValidationError(message(limit, max(1, setting(window_name) // 60)), code="rate_limit")
    if totals["duplicates"]:
        raise ValidationError(
            _("Diesen Text haben Sie gerade schon einmal gesendet. Doppelte Beiträge werden nicht gespeichert."),
            code="duplicate",
        )
