from django.utils.functional import cached_property

from . import selectors


class UnreadNotices:
    """The header's badge. The COUNT runs the first time a template reads `.count` and only then (pages
    without the header, such as file downloads, ask nothing); visitors never cause a query."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return selectors.unread_count(self.user)


def unread_notices(request):
    user = getattr(request, "user", None)
    return {"unread_notices": UnreadNotices(user) if user is not None and user.is_authenticated else None}
