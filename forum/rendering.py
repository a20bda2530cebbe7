"""Posts as a person sees them: the same partial and the same permission flags for the topic page and the live layer."""

import functools
import hashlib

from django.core.cache import cache
from django.template.loader import get_template
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import permissions, selectors
from .models import Post, Topic

# Live posts are rendered outside a request, so there is no CSRF token to put into their forms;
# live.js fills in the token of the page they are inserted into.
LIVE_CSRF_PLACEHOLDER = "live"

# Stands for the post's (or author's) id while a URL is reversed once for a whole page.
_SLOT = 987654321

# Stands for the request's CSRF token in a cached post: the fragments are shared between people.
_CSRF_SLOT = "csrf-token-slot-4b1e"
FRAGMENT_SECONDS = 24 * 3600


def _url_maker(name, *fixed):
    """A function id → URL of `name`: reverse() costs tens of microseconds, and a page of posts
    would call it for every action of every post. The id is the pattern's last argument."""
    before, _slot, after = reverse(name, args=[*fixed, _SLOT]).rpartition(str(_SLOT))
    return lambda pk: f"{before}{pk}{after}"


def _reaction_bar():
    """A function post → the reaction bar's contents. Built here because the template took longer
    for the five buttons than for all the rest of a post; most buttons of a page are alike, so each
    distinct one is formatted once."""

    # The emoji is hidden from screen readers, which read the label instead; sighted people get the
    # label as a tooltip. A count shows only when someone has reacted: a "0" under every post is noise.
    @functools.cache
    def button(kind, emoji, label, mine, count):
        return format_html(
            '<button type="submit" name="kind" value="{}" class="button button--secondary button--small" '
            'title="{}" aria-pressed="{}"><span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>{}</button>',
            kind,
            label,
            "true" if mine else "false",
            emoji,
            label,
            format_html(' <span class="forum-reactions__count">{}</span>', count) if count else "",
        )

    @functools.cache
    def tally(emoji, label, count):
        return format_html(
            '<span class="meta" title="{}"><span aria-hidden="true">{}</span><span class="visually-hidden">{}</span> '
            '<span class="forum-reactions__count">{}</span></span>',
            label,
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


# A user id no account has: the author of "someone else's post" in the probes below.
NOBODY = 0


def post_flags(user, post):
    """(may edit, may react, may report, may see revisions) of `post` for `user`."""
    return (
        permissions.can_edit_post(user, post),
        permissions.can_react(user, post),
        permissions.can_report(user, post),
        permissions.can_see_revisions(user, post),
    )


def usual_post_flags(user, topic):
    """post_flags for a visible post of `topic` by someone else and, if logged in, by `user`, from
    probe posts: `forum.permissions` alone decides, once per topic instead of once per post."""
    relations = (False, True) if user.is_authenticated else (False,)
    return tuple(
        post_flags(user, Post(topic=topic, author_id=user.pk if own else NOBODY, number=2)) for own in relations
    )


def decorate_posts(user, topic, posts, last_read):
    """Sets on each post what the partial shows of it for `user`; the posts carry their
    attachments and reaction tallies (`selectors.attach_attachments`, `attach_reaction_tallies`)."""
    can_moderate = permissions.can_moderate_board(user, topic.board)
    usual = usual_post_flags(user, topic)
    for post in posts:
        post.topic = topic
        post.is_new = user.is_authenticated and post.number > last_read
        # Deleted and hidden posts are rare and have rules of their own: those are asked one by one.
        own = user.is_authenticated and post.author_id == user.pk
        flags = post_flags(user, post) if post.is_deleted or post.is_hidden else usual[own]
        post.may_edit, post.may_react, post.may_report, may_see_revisions = flags
        post.may_see_revisions = bool(post.revision_count and may_see_revisions)
        post.shows_content = not post.is_deleted and (not post.is_hidden or can_moderate or post.author_id == user.pk)
        post.is_accepted = post.pk == topic.accepted_post_id


def _add_display(posts):
    """The reaction bar and the dates of posts about to be rendered: a cached post needs neither,
    its key holds the facts they are made of (the tallies, the time, the time zone and language)."""
    reaction_bar = _reaction_bar()
    # What the template's date filters would produce, at a fraction of their cost.
    short_datetime = formats.get_format("SHORT_DATETIME_FORMAT")
    for post in posts:
        post.reaction_html = reaction_bar(post)
        created = timezone.localtime(post.created_at)
        post.created_iso, post.created_display = created.isoformat(), dateformat.format(created, short_datetime)


def _add_links(topic, posts):
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
    for post in posts:
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


def warm_up():
    """Compiles what a server process's first post would otherwise compile while it is being shown:
    the partial, and the URL tables of its links (tens of milliseconds each time a process starts)."""
    get_template("forum/_post.html")
    _add_links(Topic(pk=_SLOT), [])


def _fragment_key(post, flags):
    """Everything the partial shows of a decorated post, as a cache key: whoever sees the same
    gets the same HTML, and any change (an edit, a reaction, a renamed author) is a new key."""
    author = post.author
    shown = (
        post.pk, post.topic_id, post.number, post.edited_at, post.is_deleted, post.is_hidden, post.live_version,
        post.author_id, author.public_name if author else None,
        author.organisation.name if author and author.organisation_id else None,
        [(attachment.pk, attachment.original_name, attachment.size) for attachment in post.attachment_list],
        [(tally["kind"], tally["count"], tally["mine"]) for tally in post.reaction_tally], post.is_new,
        post.is_accepted, post.may_edit, post.may_react, post.may_report, post.may_see_revisions, post.shows_content,
        post.created_at, flags,
    )  # fmt: skip
    # The HTML is hashed as it is: through repr() (escaping every character) it cost more than the rest.
    # The repr comes first: it ends where its closing bracket says, so the two cannot run into each other.
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=20)
    digest.update(post.html.encode())
    return "forum.post." + digest.hexdigest()


def render_posts(topic, posts, *, can_reply, can_moderate, can_accept, csrf_token, language):
    """The HTML of each decorated post, from the cache where someone saw the same before."""
    # The time zone is the one the dates are shown in.
    flags = (can_reply, can_moderate, can_accept, language, timezone.get_current_timezone_name())
    keys = [_fragment_key(post, flags) for post in posts]
    cached = cache.get_many(keys)
    missing = [post for post, key in zip(posts, keys) if key not in cached]
    if missing:
        _add_links(topic, missing)
        _add_display(missing)
        template = get_template("forum/_post.html")
        context = {
            "topic": topic, "can_reply": can_reply, "can_moderate": can_moderate, "can_accept": can_accept,
            "csrf_token": _CSRF_SLOT,
        }  # fmt: skip
        rendered = {
            key: template.render({**context, "post": post}) for post, key in zip(posts, keys) if key not in cached
        }
        cache.set_many(rendered, FRAGMENT_SECONDS)
        cached.update(rendered)
    return [mark_safe(cached[key].replace(_CSRF_SLOT, csrf_token)) for key in keys]


def live_posts(user, topic, posts):
    """Rendered posts for a live client; the caller has checked that `user` may see `topic`."""
    selectors.attach_attachments(posts)
    selectors.attach_reaction_tallies(posts, user)
    decorate_posts(user, topic, posts, selectors.read_number(user, topic))
    fragments = render_posts(
        topic,
        posts,
        can_reply=permissions.can_reply(user, topic),
        can_moderate=permissions.can_moderate_board(user, topic.board),
        can_accept=permissions.can_accept_answer(user, topic),
        csrf_token=LIVE_CSRF_PLACEHOLDER,
        language=translation.get_language(),
    )
    return [
        {
            "id": post.pk,
            "number": post.number,
            # Shown in the status line ("1 neuer Beitrag von …"); a hidden post does not give its author away.
            "author": post.author.public_name if post.author and post.shows_content else "",
            "author_id": post.author_id if post.shows_content else None,
            "html": html,
        }
        for post, html in zip(posts, fragments)
    ]
