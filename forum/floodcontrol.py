"""Limits on how fast one person may post, and a guard against sending the same text twice."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


# Every limit counted in one statement over the author's recent posts. Written out because the
# queryset with three filtered counts cost more Python to build and compile on every reply than
# the database needs to answer it. A topic's first post is the one numbered 1.
COUNTS = """
    SELECT COUNT(*) FILTER (WHERE created_at >= %(duplicates_since)s AND markdown = %(text)s AND deleted_at IS NULL)
               AS duplicates,
           COUNT(*) FILTER (WHERE created_at >= %(posts_since)s) AS posts,
           COUNT(*) FILTER (WHERE number = 1 AND created_at >= %(topics_since)s) AS topics
    FROM forum_post WHERE author_id = %(author)s AND created_at >= %(earliest)s
"""


class PendingCheck:
    """The limits that apply to one post and the parameters of COUNTS for it.

    `check` runs COUNTS on its own; a caller that writes the post in one statement runs COUNTS inside it,
    lets `condition` decide there whether anything is written, and hands the counts to `refuse`."""

    def __init__(self, user, text, opens_topic):
        self.new_account = _is_new_account(user)
        now = timezone.now()
        self.limits = [("posts", "FORUM_POSTS_PER_WINDOW", "FORUM_POST_WINDOW_SECONDS", _post_rate_message)]
        if opens_topic:
            self.limits.insert(
                0, ("topics", "FORUM_TOPICS_PER_WINDOW", "FORUM_TOPIC_WINDOW_SECONDS", _topic_rate_message)
            )
        since = {
            name: now - timedelta(seconds=setting(window_name))
            for name, window_name in (
                ("duplicates", "FORUM_DUPLICATE_WINDOW_SECONDS"),
                ("posts", "FORUM_POST_WINDOW_SECONDS"),
                ("topics", "FORUM_TOPIC_WINDOW_SECONDS"),
            )
        }
        # Only the windows of the limits that apply decide how far back the rows are read.
        since["earliest"] = min(since["duplicates"], *(since[name] for name, *_rest in self.limits))
        adapt = connection.ops.adapt_datetimefield_value
        self.parameters = {
            **{f"{name}_since": adapt(moment) for name, moment in since.items() if name != "earliest"},
            "earliest": adapt(since["earliest"]),
            "text": text.strip(),
            "author": user.pk,
            **{f"limit_{name}": self._limit(limit_name) for name, limit_name, *_rest in self.limits},
        }

    def _limit(self, limit_name):
        return setting(f"{limit_name}_NEW_ACCOUNT" if self.new_account else limit_name)

    def condition(self, counts):
        """SQL that is true when the row `counts` (COUNTS' columns) allows the post; the same rule as `refuse`."""
        return " AND ".join(
            [f"{counts}.duplicates = 0", *(f"{counts}.{name} < %(limit_{name})s" for name, *_rest in self.limits)]
        )

    def refuse(self, duplicates, posts, topics):
        """Raise the refusal the counts call for, if any."""
        totals = {"duplicates": duplicates, "posts": posts, "topics": topics}
        for name, limit_name, window_name, message in self.limits:
            limit = self._limit(limit_name)
            if totals[name] >= limit:
                raise ValidationError(message(limit, max(1, setting(window_name) // 60)), code="rate_limit")
        if totals["duplicates"]:
            raise ValidationError(
                _("Diesen Text haben Sie gerade schon einmal gesendet. Doppelte Beiträge werden nicht gespeichert."),
                code="duplicate",
            )


def prepare(user, text, *, opens_topic=False):
    return PendingCheck(user, text, opens_topic)


def check(user, text, *, opens_topic=False):
    """Refuse a post that comes faster than the limits allow or repeats a recent one.

    Every limit is counted in one query over the author's recent posts; the first post of
    a topic counts for the topic limit as well as for the post limit.
    """
    pending = prepare(user, text, opens_topic=opens_topic)
    with connection.cursor() as cursor:
        cursor.execute(COUNTS, pending.parameters)
        pending.refuse(*cursor.fetchone())
