"""The base of every app's `permissions.py` (Misago's convention).

Each app writes `check_<action>(user, obj)` functions that raise `PermissionDenied` with
the German sentence the reader sees, and `can_<action>` booleans for templates built with
`allowed()`. Services call the check once; views let the exception become the 403 page
(templates/403.html shows the message) or turn it into a form error with `attempt()`.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core import exceptions
from django.utils.translation import gettext_lazy as _

# request.user: a person with an account, or an anonymous visitor.
if TYPE_CHECKING:
    # django-stubs' plugin reads this placeholder as AUTH_USER_MODEL | AnonymousUser (network.User), so the
    # apps above see their real user model without core importing network.
    from django.contrib.auth.models import _AnyUser as Viewer
else:
    Viewer = AbstractUser | AnonymousUser


class PermissionDenied(exceptions.PermissionDenied):
    """Django's PermissionDenied carrying the sentence for the reader."""

    default_message = _("Das ist Ihnen nicht erlaubt.")

    def __init__(self, message: Any = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


def allowed(check: Callable[..., None], *args: Any, **kwargs: Any) -> bool:
    """True when the check passes: `can_reply = lambda user, topic: allowed(check_reply, user, topic)`."""
    try:
        check(*args, **kwargs)
    except exceptions.PermissionDenied:
        return False
    return True


def message_of(error: exceptions.PermissionDenied) -> str:
    """The sentence of a refusal, for a form error or a JSON answer."""
    return str(error) or str(PermissionDenied.default_message)


Result = TypeVar("Result")


def refusal_text(error: exceptions.ValidationError | exceptions.PermissionDenied) -> str:
    """What a service's refusal says, as one sentence for a form error or a message."""
    if isinstance(error, exceptions.ValidationError):
        return " ".join(error.messages)
    return message_of(error)


def attempt(operation: Callable[[], Result]) -> tuple[Result | None, str | None]:
    """Run a service call from a view: (its result, None), or (None, the sentence) when the service refused
    with a ValidationError or PermissionDenied, for the view to show as a form error or message."""
    try:
        return operation(), None
    except (exceptions.ValidationError, exceptions.PermissionDenied) as error:
        return None, refusal_text(error)
