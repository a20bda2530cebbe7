from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
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
