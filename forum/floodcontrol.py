"""Limits on how fast one person may post, and a guard against sending the same text twice."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
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


def _check(user, posts, limit_name, window_name, message):
    new = _is_new_account(user)
    limit = setting(f"{limit_name}_NEW_ACCOUNT" if new else limit_name)
    window = setting(window_name)
    since = timezone.now() - timedelta(seconds=window)
    if posts.filter(author=user, created_at__gte=since).count() >= limit:
        minutes = max(1, window // 60)
        raise ValidationError(message(limit, minutes), code="rate_limit")


def check_post_rate(user):
    _check(
        user,
        Post.objects.all(),
        "FORUM_POSTS_PER_WINDOW",
        "FORUM_POST_WINDOW_SECONDS",
        lambda limit, minutes: ngettext(
            "Sie können höchstens %(limit)d Beitrag in %(minutes)d Minuten schreiben. Bitte warten Sie einen Moment.",
            "Sie können höchstens %(limit)d Beiträge in %(minutes)d Minuten schreiben. Bitte warten Sie einen Moment.",
            limit,
        )
        % {"limit": limit, "minutes": minutes},
    )


def check_topic_rate(user):
    _check(
        user,
        Post.objects.filter(number=1),
        "FORUM_TOPICS_PER_WINDOW",
        "FORUM_TOPIC_WINDOW_SECONDS",
        lambda limit, minutes: ngettext(
            "Sie können höchstens %(limit)d Thema in %(minutes)d Minuten eröffnen. Bitte warten Sie etwas.",
            "Sie können höchstens %(limit)d Themen in %(minutes)d Minuten eröffnen. Bitte warten Sie etwas.",
            limit,
        )
        % {"limit": limit, "minutes": minutes},
    )


def check_duplicate(user, text):
    since = timezone.now() - timedelta(seconds=setting("FORUM_DUPLICATE_WINDOW_SECONDS"))
    if Post.objects.filter(author=user, created_at__gte=since, markdown=text.strip(), deleted_at__isnull=True).exists():
        raise ValidationError(
            _("Diesen Text haben Sie gerade schon einmal gesendet. Doppelte Beiträge werden nicht gespeichert."),
            code="duplicate",
        )
