"""Who may do what with a notice: only the person it was written to reads or opens it."""

from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed

from .models import Notice


def check_read(user: Viewer, notice: Notice) -> None:
    if not user.is_authenticated or notice.recipient_id != user.pk:
        raise PermissionDenied(_("Diese Mitteilung ist nicht an Sie gerichtet."))


def can_read(user: Viewer, notice: Notice) -> bool:
    return allowed(check_read, user, notice)
