"""Unsubscribe requests by mail: the `mailto:` address in every edition's List-Unsubscribe header.

A mail client or mailbox provider that takes that address sends a mail to it with the subject
`unsubscribe-<token>` (newsletter.delivery writes the header). The token is the same signed one as in
the one-click link, so it is the credential; the sender's address plays no part (providers send these
from their own addresses). The mails arrive in the mailbox that `fetch_bounces` reads.
"""

import email
import email.policy
import logging
import re
from dataclasses import dataclass

from . import services, tokens
from .models import Newsletter

logger = logging.getLogger(__name__)

# Signed tokens use URL-safe base64 and ":" (django.core.signing); a reply may prefix "Re: ".
_TOKEN_IN_SUBJECT = re.compile(r"\bunsubscribe-([A-Za-z0-9_\-:.]+)")


@dataclass(frozen=True)
class UnsubscribeRequest:
    email: str
    newsletter: Newsletter


def read_unsubscribe_request(raw):
    """The request a mail carries, or None for any other mail and for a forged or stale token."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    match = _TOKEN_IN_SUBJECT.search(str(message.get("Subject", "")))
    if match is None:
        return None
    try:
        address, newsletter_id = tokens.read_unsubscribe_token(match.group(1))
    except tokens.TokenInvalid:
        logger.warning("Unsubscribe mail with an invalid token from %s.", message.get("From", "?"))
        return None
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    return UnsubscribeRequest(address, newsletter) if newsletter is not None else None


def process_unsubscribe_mail(raw):
    """Unsubscribe as the mail asks; True if it was such a request (done now or before)."""
    request = read_unsubscribe_request(raw)
    if request is None:
        return False
    services.unsubscribe(request.email, request.newsletter)
    return True
