from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import access

# The account pages (incl. the TOTP set-up itself) and assets must stay reachable.
ALLOWED_PREFIXES_WITHOUT_SECOND_FACTOR = ("/konto/", "/static/", "/media/", "/i18n/")


class RequireSecondFactorMiddleware:
    """Staff, coordination and moderators must set up TOTP before they can use anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES_WITHOUT_SECOND_FACTOR)
            and access.requires_second_factor(user)
            and not has_second_factor(user)
        ):
            messages.warning(
                request,
                _(
                    "Ihre Rolle erfordert eine Zwei-Faktor-Anmeldung. Bitte richten Sie jetzt eine Authenticator-App ein."
                ),
            )
            return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)


def has_second_factor(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, except that `request.user` is the user `network.sessions` read with the session (with its
    roles, in the same round trip) when the session names that user; otherwise Django's own lookup."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _session_user(request)
    return request._cached_user


def _session_user(request):
    """The user read with the session when it is the one django.contrib.auth.get_user would return without
    further ado: the session names it, its backend looks users up by primary key (ModelBackend.get_user), the
    account may log in and the session's hash matches the password's. Anything else (another backend, a
    deactivated account, a changed password, a rotated secret key) goes to Django's get_user, which reads the
    user again and flushes or updates the session as it must."""
    session = request.session
    # Reading the session loads it, and with it the user.
    backend_path = session.get(BACKEND_SESSION_KEY)
    user = getattr(session, "prefetched_user", None)
    if (
        user is not None
        and backend_path in settings.AUTHENTICATION_BACKENDS
        and str(user.pk) == session.get(auth.SESSION_KEY)
        and type(backend := load_backend(backend_path)).get_user is ModelBackend.get_user
        and backend.user_can_authenticate(user)
        and constant_time_compare(session.get(HASH_SESSION_KEY) or "", user.get_session_auth_hash())
    ):
        return user
    return auth.get_user(request)
