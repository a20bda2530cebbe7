"""Bots on public surveys, without third-party services: a honeypot field, a least fill time carried in a
signed timestamp, and a per-address limit (allauth's rate limiter, which already guards the login forms)."""

import time

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SALT = "surveys.started"


class LooksLikeABot(ValidationError):
    pass


def started_token(at: float | None = None) -> str:
    return signing.dumps(time.time() if at is None else at, salt=SALT)


def check_human(honeypot: str, started: str) -> None:
    """Refuse a filled honeypot, a missing or forged timestamp and a form sent faster than a person reads it."""
    if honeypot:
        raise LooksLikeABot(
            _("Das Feld „Bitte dieses Feld leer lassen“ war ausgefüllt. Bitte leeren Sie es und senden Sie erneut.")
        )
    try:
        started_at = float(signing.loads(started, salt=SALT, max_age=7 * 24 * 3600))
    except (signing.BadSignature, TypeError, ValueError):
        raise LooksLikeABot(_("Das Formular ist abgelaufen. Bitte senden Sie es noch einmal ab.")) from None
    if time.time() - started_at < settings.SURVEYS_MIN_FILL_SECONDS:
        raise LooksLikeABot(
            _("Das ging sehr schnell. Bitte prüfen Sie Ihre Antworten und senden Sie den Fragebogen noch einmal ab.")
        )


def consume_rate(request) -> bool:
    """One answer taken from this address's allowance; False when it is used up. allauth's limiter keys by the
    client address its adapter reports; the limit comes from SURVEYS_ANSWER_RATE_LIMIT (empty: no limit)."""
    config = {"survey_answer": settings.SURVEYS_ANSWER_RATE_LIMIT}
    return ratelimit.consume(request, app="surveys", action="survey_answer", config=config) is not None
