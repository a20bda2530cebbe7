"""Documents on pages of other apps (the body page, a meeting's agenda papers) without those apps importing this one."""

from django import template
from django.db.models import QuerySet

from .. import permissions, selectors

register = template.Library()


@register.inclusion_tag("documents/_body_documents.html", takes_context=True)
def body_documents(context, body):
    """The newest documents the reader may see, and the way into the library for its members."""
    user = context["request"].user
    return {
        "body": body,
        "documents": selectors.recent_for_body(body, user),
        "can_see_library": permissions.can_see_library(user, body),
        "can_upload": permissions.can_upload(user, body),
    }


@register.inclusion_tag("documents/_papers.html", takes_context=True)
def agenda_papers(context, documents):
    """A meeting's papers, each shown only to whoever may read it; the others are counted, not named."""
    if isinstance(documents, QuerySet):
        documents = documents.select_related("body", "current")
    shown, hidden = selectors.readable(documents, context["request"].user)
    return {"documents": shown, "hidden": hidden}
