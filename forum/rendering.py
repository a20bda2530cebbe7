"""Posts as a person sees them: the same partial and the same permission flags for the topic page and the live layer."""

import functools

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import permissions, selectors

# Live posts are rendered outside a request, so there is no CSRF token to put into their forms;
# live.js fills in the token of the page they are inserted into.
LIVE_CSRF_PLACEHOLDER = "live"

# Stands for the post's (or author's) id while a URL is reversed once for a whole page.
_SLOT = 987654321


def _url_maker(name, *fixed):
    """A function id → URL of `name`: reverse() costs tens of microseconds, and a page of posts
    would call it for every action of every post. The id is the pattern's last argument."""
    before, _slot, after = reverse(name, args=[*fixed, _SLOT]).rpartition(str(_SLOT))
    return lambda pk: f"{before}{pk}{after}"


def _reaction_bar():
    """A function post → the reaction bar's contents. Built here because the template took longer
    for the five buttons than for all the rest of a post; most buttons of a page are alike, so each
    distinct one is formatted once."""

    @functools.cache
    def button(kind, emoji, label, mine, count):
        return format_html(
            '<button type="submit" name="kind" value="{}" class="button button--secondary button--small" '
            'aria-pressed="{}"><span aria-hidden="true">{}</span><span class="visually-hidden">{}</span> {}</button>',
            kind,
            "true" if mine else "false",
            emoji,
            label,
            count,
        )

    @functools.cache
    def tally(emoji, label, count):
        return format_html(
            '<span class="meta"><span aria-hidden="true">{}</span><span class="visually-hidden">{}</span> {}</span>',
            emoji,
            label,
            count,
        )

    def bar(post):
        if post.may_react:
            pieces = (button(r["kind"], r["emoji"], r["label"], r["mine"], r["count"]) for r in post.reaction_tally)
        else:
            pieces = (tally(r["emoji"], r["label"], r["count"]) for r in post.reaction_tally if r["count"])
        return mark_safe("".join(pieces))

    return bar


def decorate_posts(user, topic, posts, last_read):
    can_moderate = permissions.can_moderate_board(user, topic.board)
    person, permalink, revisions, react, edit, delete, report, accept, hide, suspend = (
        _url_maker("network:person_detail"),
        _url_maker("forum:post_permalink"),
        _url_maker("forum:post_revisions"),
        _url_maker("forum:post_react"),
        _url_maker("forum:post_edit"),
        _url_maker("forum:post_delete"),
        _url_maker("forum:post_report"),
        _url_maker("forum:topic_accept", topic.pk),
        _url_maker("forum:post_hide"),
        _url_maker("forum:user_suspend"),
    )
    quote = reverse("forum:topic_reply", args=[topic.pk]) + "?zitat="
    reaction_bar = _reaction_bar()
    # What the template's date filters would produce, at a fraction of their cost.
    short_datetime = formats.get_format("SHORT_DATETIME_FORMAT")
    for post in posts:
        post.topic = topic
        post.is_new = user.is_authenticated and post.number > last_read
        post.may_edit = permissions.can_edit_post(user, post)
        post.may_react = permissions.can_react(user, post)
        post.may_report = permissions.can_report(user, post)
        post.may_see_revisions = post.revision_count and permissions.can_see_revisions(user, post)
        post.shows_content = not post.is_deleted and (not post.is_hidden or can_moderate or post.author_id == user.pk)
        post.is_accepted = post.pk == topic.accepted_post_id
        post.attachment_list = list(post.attachments.all())
        post.reaction_html = reaction_bar(post)
        created = timezone.localtime(post.created_at)
        post.created_iso, post.created_display = created.isoformat(), dateformat.format(created, short_datetime)
        pk = post.pk
        post.links = {
            "author": person(post.author_id) if post.author_id else "",
            "permalink": permalink(pk),
            "revisions": revisions(pk),
            "react": react(pk),
            "quote": f"{quote}{pk}",
            "edit": edit(pk),
            "delete": delete(pk),
            "report": report(pk),
            "accept": accept(pk),
            "hide": hide(pk),
            "suspend": suspend(post.author_id) if post.author_id else "",
        }


def live_posts(user, topic, posts):
    """Rendered posts for a live client; the caller has checked that `user` may see `topic`."""
    selectors.attach_reaction_tallies(posts, user)
    decorate_posts(user, topic, posts, selectors.read_number(user, topic))
    context = {
        "topic": topic,
        "can_reply": permissions.can_reply(user, topic),
        "can_moderate": permissions.can_moderate_board(user, topic.board),
        "can_accept": permissions.can_accept_answer(user, topic),
        "csrf_token": LIVE_CSRF_PLACEHOLDER,
    }
    return [
        {
            "id": post.pk,
            "number": post.number,
            # Shown in the status line ("1 neuer Beitrag von …"); a hidden post does not give its author away.
            "author": post.author.public_name if post.author and post.shows_content else "",
            "author_id": post.author_id if post.shows_content else None,
            "html": render_to_string("forum/_post.html", {**context, "post": post}),
        }
        for post in posts
    ]
