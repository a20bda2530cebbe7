"""The e-mail each recipient of a send gets, and the test mail to the person composing an edition."""

import uuid
from email.utils import formataddr, formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import forbid_multi_line_headers, sanitize_address
from django.utils.translation import gettext as _

from ..rendering import (
    HEADER_FIELDS,
    compile_edition,
    greeter,
    link_maker,
    message_template,
    personalize,
    recipient_links,
)
from .options import list_domain, message_id, setting


def _unsubscribe_mailbox():
    return setting("UNSUBSCRIBE_MAILBOX", f"unsubscribe@{list_domain()}")


def _list_unsubscribe(links, mailbox, separator=", "):
    return f"<{links['unsubscribe_url']}>{separator}<mailto:{mailbox}?subject=unsubscribe-{links['unsubscribe_token']}>"


def _list_id(newsletter):
    # formataddr encodes a non-ASCII list name but leaves the list id itself readable, as RFC 2919 wants.
    return formataddr((newsletter.name, f"{newsletter.slug}.{list_domain()}"))


def _message(newsletter, *, subject, html, text, email, name, msg_id, links):
    html, text = personalize(html, text, name=name, links=links)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=newsletter.sender,
        to=[email],
        reply_to=[newsletter.reply_to] if newsletter.reply_to else None,
        headers={
            "List-Unsubscribe": _list_unsubscribe(links, _unsubscribe_mailbox()),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": _list_id(newsletter),
            "Message-ID": msg_id,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def build_message(send, delivery, links):
    return _message(
        send.edition.newsletter,
        subject=send.subject,
        html=send.compiled_html,
        text=send.compiled_text,
        email=delivery.email,
        name=delivery.name,
        msg_id=message_id(send.pk, delivery.pk),
        links=links,
    )


def _template(send, *, eight_bit=False):
    """The send's message encoded once, with the headers Django would write (encoded the same way)."""
    newsletter = send.edition.newsletter
    fixed = {"Subject": send.subject, "From": newsletter.sender}
    if newsletter.reply_to:
        fixed["Reply-To"] = newsletter.reply_to
    fixed.update({"List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": _list_id(newsletter)})
    headers = [forbid_multi_line_headers(name, value, "utf-8") for name, value in fixed.items()]
    headers += [(name, mark) for name, mark in HEADER_FIELDS.items()]
    return message_template(tuple(headers), send.compiled_text, send.compiled_html, eight_bit)


def sender_for(send, connection):
    """A function that hands one row's message to the backend and returns its Message-ID.

    Over Django's SMTP backend the bytes come from the send's template and go straight to the open
    smtplib connection (what the backend's own send would do with a message it serialised itself);
    any other backend (an e-mail provider's API, the outbox in tests) gets an EmailMessage.
    """
    links = link_maker(send.edition.newsletter)
    if not isinstance(connection, SMTPBackend):

        def send_message(row):
            message = build_message(send, row, links(row.email))
            connection.send_messages([message])
            return message.extra_headers["Message-ID"]

        return send_message

    template = _template(send)
    unencoded = _template(send, eight_bit=True)
    mail_options = ["BODY=8BITMIME"] if unencoded.eight_bit else []
    newsletter = send.edition.newsletter
    sender = sanitize_address(newsletter.sender, "utf-8")
    greet = greeter()
    mailbox = _unsubscribe_mailbox()
    localtime = settings.EMAIL_USE_LOCALTIME

    def send_raw(row):
        msg_id = message_id(send.pk, row.pk)
        personal = links(row.email)
        # Checks for line breaks and encodes a non-ASCII address as Django does for header and envelope.
        _name, to = forbid_multi_line_headers("To", row.email, "utf-8")
        headers = {
            "To": to,
            "Date": formatdate(localtime=localtime),
            "Message-ID": msg_id,
            # Folded after the comma: the two addresses together would exceed the line length headers should keep.
            "List-Unsubscribe": _list_unsubscribe(personal, mailbox, separator=",\r\n "),
        }
        values = {
            "greeting": greet(row.name),
            "manage_url": personal["manage_url"],
            "unsubscribe_url": personal["unsubscribe_url"],
        }
        smtp = connection.connection
        # The server's extensions are known only after EHLO, which smtplib otherwise sends with the first message.
        smtp.ehlo_or_helo_if_needed()
        raw = unencoded.fill(headers, **values) if mail_options and smtp.has_extn("8bitmime") else None
        if raw is None:
            smtp.sendmail(sender, [to], template.fill(headers, **values))
        else:
            smtp.sendmail(sender, [to], raw, mail_options)
        return msg_id

    return send_raw


def send_test(edition, user):
    """The edition as its readers will get it, to the person composing it; outside the delivery ledger."""
    compiled = compile_edition(edition)
    message = _message(
        edition.newsletter,
        subject=_("[Test] %(subject)s") % {"subject": compiled.subject},
        html=compiled.html,
        text=compiled.text,
        email=user.email,
        name=user.public_name,
        links=recipient_links(user.email, edition.newsletter),
        msg_id=f"<newsletter-test-{uuid.uuid4().hex}@{list_domain()}>",
    )
    message.send()
