"""Bounce reports: provider webhooks (django-anymail's tracking signal) and DSN mails in an IMAP mailbox,
which also receives the unsubscribe mails of the List-Unsubscribe header (newsletter.unsubscribe_mails).

Bounces end in `services.record_bounce` / `services.record_complaint`, which find the message by our
Message-ID when the report carries it and by the recipient otherwise.
"""

import email
import email.policy
import imaplib
import logging
import re
from dataclasses import dataclass
from email.parser import HeaderParser
from email.utils import parseaddr

from anymail.signals import EventType, RejectReason, tracking
from django.conf import settings
from django.dispatch import receiver

from . import services
from .unsubscribe_mails import process_unsubscribe_mail

logger = logging.getLogger(__name__)

# A 4xx SMTP reply or a 4.x.x enhanced status code marks a temporary failure (RFC 5321, RFC 3463).
_TEMPORARY = re.compile(r"(?<![\d.])(4\d\d(?![\d.])|4\.\d{1,3}\.\d{1,3})")


# --- Provider webhooks ----------------------------------------------------------------------------------


def _is_temporary(text):
    return bool(_TEMPORARY.search(text or ""))


@receiver(tracking, dispatch_uid="newsletter.bounces.tracking")
def handle_tracking_event(sender, event, esp_name, **kwargs):
    """Most providers report temporary failures as `deferred` and retry themselves; `bounced` comes once
    they gave up, hard unless the server's answer says the failure was temporary (Postmark's SoftBounce)."""
    if not event.recipient:
        return
    reason = event.mta_response or event.description or esp_name
    if event.event_type in (EventType.COMPLAINED, EventType.UNSUBSCRIBED):
        services.record_complaint(event.recipient, event.message_id)
    elif event.event_type == EventType.BOUNCED:
        hard = event.reject_reason != RejectReason.TIMED_OUT and not _is_temporary(reason)
        services.record_bounce(event.recipient, hard=hard, reason=reason, message_id=event.message_id)
    elif event.event_type == EventType.REJECTED:
        # The provider refused to send: for addresses it knows to be dead or that asked it to stop.
        if event.reject_reason in (RejectReason.SPAM, RejectReason.UNSUBSCRIBED):
            services.record_complaint(event.recipient, event.message_id)
        else:
            hard = event.reject_reason in (RejectReason.INVALID, RejectReason.BOUNCED)
            services.record_bounce(event.recipient, hard=hard, reason=reason, message_id=event.message_id)


# --- DSN mails (RFC 3464) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounce:
    recipient: str
    hard: bool
    status: str
    reason: str
    message_id: str


def _field(block, name):
    value = block.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _typed_address(value):
    """ "rfc822; someone@example.org" → someone@example.org."""
    _kind, _sep, address = value.partition(";")
    return parseaddr((address or value).strip())[1].strip("<>")


def _original_message_id(part):
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        original = payload[0] if isinstance(payload, list) and payload else None
    else:
        original = HeaderParser().parsestr(part.get_payload(decode=True).decode("utf-8", "replace"))
    return str(original.get("Message-ID", "")).strip() if original is not None else ""


def parse_dsn(raw):
    """The failed and delayed recipients of a delivery status notification; [] for any other mail.

    Action "failed" with a 5.x.x status is hard; "failed" with 4.x.x (given up after retrying) and
    "delayed" are soft.
    """
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    report = None
    original_id = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status" and report is None:
            report = part
        elif kind in ("message/rfc822", "text/rfc822-headers") and not original_id:
            original_id = _original_message_id(part)
    if report is None:
        return []
    blocks = report.get_payload()
    bounces = []
    # The first block describes the reporting MTA; one block per recipient follows.
    for block in blocks[1:] if isinstance(blocks, list) else []:
        action = _field(block, "Action").lower()
        if action not in ("failed", "delayed"):
            continue
        status = _field(block, "Status").split(" ")[0]
        recipient = _typed_address(_field(block, "Final-Recipient") or _field(block, "Original-Recipient"))
        if not recipient:
            continue
        diagnostic = _field(block, "Diagnostic-Code")
        bounces.append(
            Bounce(
                recipient=recipient,
                hard=action == "failed" and status.startswith("5"),
                status=status,
                reason=" ".join(filter(None, [status, diagnostic.partition(";")[2].strip() or diagnostic])),
                message_id=original_id,
            )
        )
    return bounces


def imap_setting(name, default=None):
    return getattr(settings, f"NEWSLETTER_BOUNCE_IMAP_{name}", default)


def connect_imap():
    host = imap_setting("HOST")
    if not host:
        raise RuntimeError("NEWSLETTER_BOUNCE_IMAP_HOST is not set.")
    use_ssl = imap_setting("SSL", True)
    port = imap_setting("PORT", 993 if use_ssl else 143)
    connection = imaplib.IMAP4_SSL(host, port) if use_ssl else imaplib.IMAP4(host, port)
    connection.login(imap_setting("USER", ""), imap_setting("PASSWORD", ""))
    return connection


def _check(answer):
    status, data = answer
    if status != "OK":
        raise imaplib.IMAP4.error(f"IMAP: {status} {data!r}")
    return data


def fetch_bounces(connection=None):
    """Process every DSN and every unsubscribe mail in the bounce folder, then delete it (or move it to
    NEWSLETTER_BOUNCE_IMAP_PROCESSED_FOLDER). Other mail (auto-replies, people writing back, unsubscribe
    mails with a forged token) stays.

    Returns {"reports": DSN mails processed, "bounces": recipients recorded, "unsubscribes": unsubscribe
    mails processed, "other": mails left}.
    """
    connection = connection or connect_imap()
    processed_folder = imap_setting("PROCESSED_FOLDER")
    counts = {"reports": 0, "bounces": 0, "unsubscribes": 0, "other": 0}
    try:
        _check(connection.select(imap_setting("FOLDER", "INBOX")))
        uids = _check(connection.uid("SEARCH", None, "ALL"))[0].split()
        for uid in uids:
            # PEEK: mail that is not a DSN stays unread for the people who look at this mailbox.
            fetched = _check(connection.uid("FETCH", uid, "(BODY.PEEK[])"))
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), b"")
            # A DSN quotes the original headers, List-Unsubscribe included: it is read as a bounce first.
            bounces = parse_dsn(raw)
            if bounces:
                for bounce in bounces:
                    services.record_bounce(
                        bounce.recipient, hard=bounce.hard, reason=bounce.reason, message_id=bounce.message_id
                    )
                counts["reports"] += 1
                counts["bounces"] += len(bounces)
            elif process_unsubscribe_mail(raw):
                counts["unsubscribes"] += 1
            else:
                counts["other"] += 1
                continue
            if processed_folder:
                _check(connection.uid("COPY", uid, processed_folder))
            _check(connection.uid("STORE", uid, "+FLAGS", "(\\Deleted)"))
        connection.expunge()
    finally:
        try:
            connection.logout()
        except (OSError, imaplib.IMAP4.error):
            logger.info("IMAP logout failed.", exc_info=True)
    return counts
