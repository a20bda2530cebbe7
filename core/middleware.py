from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from .permissions import PermissionDenied


class LoginForAnonymousRefusalsMiddleware:
    """A refusal (core.permissions.PermissionDenied) sends an anonymous visitor to the login page.

    The rule is the same for everyone; only its answer differs: someone who is not logged in may
    well be allowed after logging in, someone who is gets the 403 page with the sentence why not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return None
