"""Posts as a person sees them: the same partial and the same permission flags for the topic page and the live layer."""

from django.template.loader import render_to_string

from . import permissions, selectors

# Live posts are rendered outside a request, so there is no CSRF token to put into their forms;
# live.js fills in the token of the page they are inserted into.
LIVE_CSRF_PLACEHOLDER = "live"


def decorate_posts(user, topic, posts, last_read):
    can_moderate = permissions.can_moderate_board(user, topic.board)
    for post in posts:
        post.topic = topic
        post.is_new = user.is_authenticated and post.number > last_read
        post.may_edit = permissions.can_edit_post(user, post)
        post.may_react = permissions.can_react(user, post)
        post.may_report = permissions.can_report(user, post)
        post.may_see_revisions = post.revision_count and permissions.can_see_revisions(user, post)
        post.shows_content = not post.is_deleted and (not post.is_hidden or can_moderate or post.author_id == user.pk)


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
