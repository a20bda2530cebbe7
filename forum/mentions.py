"""@-mentions: a person's handle is their display name with spaces written as underscores."""

import re

from django.contrib.auth import get_user_model
from django.db.models import Q

MENTION_PATTERN = re.compile(r"(?<![\w@])@(\w[\w.\-]*\w|\w)")
MAX_MENTIONS_PER_POST = 20


def handle_for(user):
    return "_".join(user.display_name.split())


def mentioned_people(text):
    """People named in a post, ignoring quoted lines so that quoting a post does not mention its people again."""
    own_lines = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    handles = {match.group(1).replace("_", " ").lower() for match in MENTION_PATTERN.finditer(own_lines)}
    handles = sorted(handles)[:MAX_MENTIONS_PER_POST]
    if not handles:
        return []
    query = Q()
    for name in handles:
        query |= Q(display_name__iexact=name)
    return list(get_user_model().objects.filter(query, is_active=True))
