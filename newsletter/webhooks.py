"""The e-mail providers' webhooks of django-anymail: closed until a secret is set, and answering 400
to bodies no provider sends.

Without ANYMAIL_WEBHOOK_SECRET anymail would accept reports from anybody (with a warning), and
anybody could mark addresses as bounced, which stops their newsletter.

anymail's parsers trust the provider's format: malformed JSON, bytes that are not UTF-8 or JSON of
another shape raise inside them and would end as a server error. The URLs are public, so such
requests are expected; they get a clear 400 and change nothing.
"""

import logging
from functools import wraps

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.urls import URLPattern
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

app_name = anymail_urls.app_name


def guarded_webhook(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
            return HttpResponseForbidden(
                _("Webhooks sind nicht eingerichtet: ANYMAIL_WEBHOOK_SECRET fehlt."),
                content_type="text/plain; charset=utf-8",
            )
        try:
            return view(request, *args, **kwargs)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            logger.warning("Webhook-Anfrage mit unlesbarem Inhalt abgewiesen: %s", request.path, exc_info=True)
            return HttpResponseBadRequest(
                _("Die Webhook-Daten konnten nicht gelesen werden."), content_type="text/plain; charset=utf-8"
            )

    return guarded


urlpatterns = [
    URLPattern(pattern.pattern, guarded_webhook(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
]
