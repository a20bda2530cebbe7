"""The e-mail each recipient of a send gets, and the test mail to the person composing an edition."""

import time
import uuid
from email.utils import formataddr, formatdate

from django.conf import settings
from django.core.mail.message import forbid_multi_line_headers
from django.utils.translation import gettext as _

from core.smtp import PreEncodedEmail

from ..rendering import HEADER_FIELDS, compile_edition, greeter, link_maker, message_template
from .options import list_domain, message_ids, setting


def _unsubscribe_mailbox():
    return setting("UNSUBSCRIBE_MAILBOX", f"unsubscribe@{list_domain()}")


def _list_unsubscribe(links, mailbox):
    # Folded after the comma: the two addresses together would exceed the line length headers should keep.
    return f"<{links['unsubscribe_url']}>,\r\n <mailto:{mailbox}?subject=unsubscribe-{links['unsubscribe_token']}>"


def _list_id(newsletter):
    # formataddr encodes a non-ASCII list name but leaves the list id itself readable, as RFC 2919 wants.
    return formataddr((newsletter.name, f"{newsletter.slug}.{list_domain()}"))


def _template(newsletter, *, subject, text, html, eight_bit):
    """The message encoded once, with the headers Django would write (encoded the same way)."""
    fixed = {"Subject": subject, "From": newsletter.sender}
    if newsletter.reply_to:
        fixed["Reply-To"] = newsletter.reply_to
    fixed.update({"List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": _list_id(newsletter)})
    headers = [forbid_multi_line_headers(name, value, "utf-8") for name, value in fixed.items()]
    headers += [(name, mark) for name, mark in HEADER_FIELDS.items()]
    return message_template(tuple(headers), text, html, eight_bit)


def message_maker(newsletter, *, subject, text, html):
    """A function (email, name, Message-ID) → the PreEncodedEmail that recipient gets.

    The message is encoded once (a 7-bit template, and an 8bit one where a part fits); per recipient
    only the personal headers and values are filled in, when a backend asks for the bytes. Every
    backend gets these bytes: over SMTP `core.smtp.EmailBackend` sends the 8bit form to a server that
    announces 8BITMIME, every other backend sends the 7-bit form.
    """
    seven_bit = _template(newsletter, subject=subject, text=text, html=html, eight_bit=False)
    eight_bit = _template(newsletter, subject=subject, text=text, html=html, eight_bit=True)
    templates = {False: seven_bit, True: eight_bit if eight_bit.eight_bit else None}
    links = link_maker(newsletter)
    greet = greeter()
    mailbox = _unsubscribe_mailbox()
    localtime = settings.EMAIL_USE_LOCALTIME
    sender = newsletter.sender
    # The Date header names the second: written once a second, not once a message.
    clock = [None, ""]

    def make(email, name, msg_id):
        personal = links(email)
        # Checks for line breaks and encodes a non-ASCII address as Django does for a header.
        _name, to = forbid_multi_line_headers("To", email, "utf-8")
        second = int(time.time())
        if clock[0] != second:
            clock[:] = [second, formatdate(second, localtime=localtime)]
        headers = {
            "To": to,
            "Date": clock[1],
            "Message-ID": msg_id,
            "List-Unsubscribe": _list_unsubscribe(personal, mailbox),
        }
        values = {
            "greeting": greet(name),
            "manage_url": personal["manage_url"],
            "unsubscribe_url": personal["unsubscribe_url"],
        }

        def encode(eight_bit, transparent):
            template = templates[eight_bit]
            return None if template is None else template.fill(headers, transparent=transparent, **values)

        return PreEncodedEmail(from_email=sender, to=[email], encode=encode)

    return make


def maker_for(send):
    """A function row -> the PreEncodedEmail that row's recipient gets, with its deterministic Message-ID."""
    make = message_maker(
        send.edition.newsletter, subject=send.subject, text=send.compiled_text, html=send.compiled_html
    )
    ids = message_ids(send.pk)
    return lambda row: make(row.email, row.name, ids(row.pk))


def send_test(edition, user):
    """The edition as its readers will get it, to the person composing it; outside the delivery ledger."""
    compiled = compile_edition(edition)
    subject = _("[Test] %(subject)s") % {"subject": compiled.subject}
    make = message_maker(edition.newsletter, subject=subject, text=compiled.text, html=compiled.html)
    make(user.email, user.public_name, f"<newsletter-test-{uuid.uuid4().hex}@{list_domain()}>").send()
