"""Atom feeds: the public boards for anyone, and a person's watched boards behind a private token."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core import signing
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import BoardSubscription, WatchLevel

FEED_SALT = "forum.feed"
FEED_LENGTH = 30


def feed_token(user):
    return signing.dumps(user.pk, salt=FEED_SALT)


class _PostFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, post):
        return f"{post.topic.title} (#{post.number})"

    def item_description(self, post):
        return post.html

    def item_link(self, post):
        return post.get_absolute_url()

    def item_author_name(self, post):
        return str(post.author) if post.author else ""

    def item_pubdate(self, post):
        return post.created_at

    def item_updateddate(self, post):
        return post.edited_at or post.created_at


class PublicPostsFeed(_PostFeed):
    title = _("Forum: öffentliche Beiträge")
    subtitle = _("Neue Beiträge in den öffentlichen Bereichen des Forums")

    def link(self):
        return reverse("forum:board_list")

    def items(self):
        # The anonymous view of the forum, whoever asks: a feed reader shares its URL freely.
        return (
            permissions.visible_posts(AnonymousUser())
            .select_related("topic", "author")
            .order_by("-created_at")[:FEED_LENGTH]
        )


class WatchedPostsFeed(_PostFeed):
    title = _("Forum: meine beobachteten Bereiche")
    subtitle = _("Neue Beiträge in den Bereichen, die Sie beobachten")

    def get_object(self, request, token):
        try:
            user_id = signing.loads(token, salt=FEED_SALT)
        except signing.BadSignature:
            raise Http404 from None
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise Http404
        return user

    def link(self, user):
        return reverse("forum:board_list")

    def items(self, user):
        watched = BoardSubscription.objects.filter(user=user, level=WatchLevel.WATCHING).values("board_id")
        return (
            permissions.visible_posts(user)
            .filter(topic__board_id__in=watched)
            .select_related("topic", "author")
            .order_by("-created_at")[:FEED_LENGTH]
        )
