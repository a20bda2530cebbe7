"""Mails whose bytes are encoded before they reach a backend, and the SMTP backend that can send them as 8bit.

`PreEncodedEmail` is a Django EmailMessage whose `message()` yields bytes someone else encoded (the
newsletter's `MessageTemplate`, which costs 0.1 ms a message against 5–10 ms for Django's or the
standard library's encoder, bench/README.md "Newsletter MIME"). Every backend that sends what
`message()` returns takes it unchanged: Django's SMTP, console, file and locmem backends. A backend
that rebuilds a mail from `subject`/`body` (an e-mail provider's API) cannot send it.

`EmailBackend` is Django's SMTP backend plus one thing Django's lacks: Django hands every message to
smtplib without MAIL FROM parameters, so it can only send 7-bit messages. A pre-encoded message
that has an 8bit form (long unencoded lines are cheaper for a server than quoted-printable's many
short ones) goes as 8bit with BODY=8BITMIME when the server announces 8BITMIME (RFC 6152); otherwise,
and with any other backend, the 7-bit form goes.

`send_stream` sends many mails over one open connection and reports each one's outcome as soon as it is
known; with this backend it pipelines (RFC 2920, `core.smtp_pipelining`) where the server offers it.

`send_batch` sends a batch of mails over one connection, as the newsletter worker does; mails to many
people (meeting invitations) go out in such batches instead of one connection per mail.
"""

import functools
import logging
import re
import smtplib
from collections.abc import Callable, Iterable
from email.utils import parseaddr
from typing import TypeVar, cast

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address

from .smtp_pipelining import Envelope, Outcome, StreamInterrupted
from .smtp_pipelining import send_stream as send_envelopes

logger = logging.getLogger(__name__)

#: (eight_bit, transparent) -> the message's bytes with CRLF line ends (with `transparent` as SMTP's DATA sends
#: them: `core.smtp_pipelining.transparent_content`); None where it has no 8bit form.
Encoder = Callable[[bool, bool], bytes | None]


class EncodedMessage:
    """What `PreEncodedEmail.message()` returns: the bytes, with the part of email.message.Message's
    interface that Django's backends call."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        # The SMTP backend asks for CRLF, the console and file backends for the platform's "\n".
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, maxheaderlen: int = 0, policy: object = None) -> str:
        return self.as_bytes().decode("utf-8")

    def get_charset(self) -> None:
        # Headers are ASCII and every part is UTF-8: the console backend then decodes it as UTF-8.
        return None


class PreEncodedEmail(EmailMessage):
    """A mail to `to` whose bytes `encode` makes; they are made when a backend asks, not before."""

    def __init__(self, *, from_email: str, to: list[str], encode: Encoder) -> None:
        super().__init__(from_email=from_email, to=to)
        self.encode = encode

    def message(self) -> EncodedMessage:  # type: ignore[override]
        data = self.encode(False, False)
        assert data is not None, "every pre-encoded mail has a 7-bit form"
        return EncodedMessage(data)

    def eight_bit_bytes(self) -> bytes | None:
        return self.encode(True, False)

    def data_bytes(self, eight_bit: bool) -> bytes | None:
        """The 8bit or 7-bit form as SMTP's DATA sends it (dot-stuffed), None where there is no 8bit form."""
        return self.encode(eight_bit, True)


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend; a `PreEncodedEmail` goes as 8bit with BODY=8BITMIME where the server allows."""

    # `_send` is the one message step of Django's backend (send_messages opens, sends each, closes);
    # django-stubs does not declare it.
    def _send(self, email_message: EmailMessage) -> bool:
        if not isinstance(email_message, PreEncodedEmail) or not email_message.recipients():
            return super()._send(email_message)  # type: ignore[misc]
        connection = self.connection
        assert connection is not None, "send_messages opens the connection first"
        # The server's extensions are known only after EHLO, which smtplib otherwise sends with the first message.
        connection.ehlo_or_helo_if_needed()
        data = email_message.eight_bit_bytes() if connection.has_extn("8bitmime") else None
        if data is None:
            return super()._send(email_message)  # type: ignore[misc]
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = sanitize_address(email_message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in email_message.recipients()]
        try:
            connection.sendmail(from_email, recipients, data, ["BODY=8BITMIME"])
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True

    def envelope(self, email_message: EmailMessage, tag: object = None) -> Envelope:
        """What goes over the wire for `email_message` on the open connection: 8bit where `_send` sends it."""
        connection = self.connection
        assert connection is not None, "the connection is open"
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        data: bytes | None = None
        options: tuple[str, ...] = ()
        transparent = isinstance(email_message, PreEncodedEmail)
        if isinstance(email_message, PreEncodedEmail):
            if connection.has_extn("8bitmime"):
                data, options = email_message.data_bytes(True), ("BODY=8BITMIME",)
            if data is None:
                data, options = email_message.data_bytes(False), ()
        if data is None:
            data, options, transparent = email_message.message().as_bytes(linesep="\r\n"), (), False
        return Envelope(
            sender=envelope_address(email_message.from_email, encoding),
            recipients=tuple(envelope_address(address, encoding) for address in email_message.recipients()),
            data=data,
            options=options,
            tag=tag,
            transparent=transparent,
        )


# An address that needs no encoding and no parsing: letters, digits and RFC 5322 atext, one @, a plain domain.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\Z")


def envelope_address(address: str, encoding: str) -> str:
    """The address as MAIL FROM and RCPT TO carry it (without a display name), as Django's SMTP backend
    and smtplib would make it. Plain addresses, nearly all of them, skip the email package's parser,
    which took 1 ms of a newsletter message's 2.6 ms (and the cache: a newsletter's recipients come once each)."""
    if _PLAIN_ADDRESS.match(address):
        return address
    return _parsed_envelope_address(address, encoding)


@functools.lru_cache(maxsize=256)
def _parsed_envelope_address(address: str, encoding: str) -> str:
    bare = parseaddr(sanitize_address(address, encoding))[1]
    if not bare or "\r" in bare or "\n" in bare:
        raise ValueError(f"Invalid address {address!r}")
    return bare


Tag = TypeVar("Tag")


def send_stream(
    backend: object, messages: Iterable[tuple[Tag, EmailMessage]], settle: Callable[[Tag, Outcome], None]
) -> None:
    """Send `messages` (pairs of the caller's tag and a mail, taken one by one) over the open `backend`;
    `settle(tag, outcome)` is called for each once the server answered, before the next mail can arrive.

    Over this module's SMTP backend the mails are pipelined where the server offers it (see
    `core.smtp_pipelining` for the outcomes and the one mail in flight). Every other backend sends them
    one by one. A failed connection ends the stream with `StreamInterrupted`, whose `in_flight` is the tag
    of a mail that may have arrived without an answer, or None.
    """
    if isinstance(backend, EmailBackend) and backend.connection is not None:
        connection = backend.connection
        # The server's extensions (8BITMIME, PIPELINING) are known only after EHLO.
        try:
            connection.ehlo_or_helo_if_needed()
        except (smtplib.SMTPException, OSError) as error:
            raise StreamInterrupted(error, None) from error
        envelopes = (backend.envelope(message, tag) for tag, message in messages)
        try:
            send_envelopes(connection, envelopes, lambda envelope, outcome: settle(cast(Tag, envelope.tag), outcome))
        except StreamInterrupted as interrupted:
            in_flight = interrupted.in_flight
            interrupted.in_flight = in_flight.tag if isinstance(in_flight, Envelope) else None
            raise
        return
    for tag, message in messages:
        try:
            backend.send_messages([message])  # type: ignore[attr-defined]
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise StreamInterrupted(error, tag) from error
        except smtplib.SMTPException as error:
            refused = error.recipients if isinstance(error, smtplib.SMTPRecipientsRefused) else {}
            settle(tag, Outcome(refused, error))
            codes = {getattr(error, "smtp_code", None), *(code for code, _answer in refused.values())}
            if 421 in codes:
                # smtplib closed the connection: the server refused this mail and ends the session.
                raise StreamInterrupted(error, None) from error
        else:
            settle(tag, Outcome())


class BatchInterrupted(Exception):
    """The connection failed during a batch. The first `done` mails are settled (accepted, or refused for
    good); the rest were not sent, except that the one in flight (number `done`) may have arrived
    without the server's answer reaching us. Sending the rest again can repeat that one mail, never skip one."""

    def __init__(self, done: int, sent: int, error: Exception) -> None:
        super().__init__(str(error) or error.__class__.__name__)
        self.done = done
        self.sent = sent


def send_batch(messages: Iterable[EmailMessage]) -> int:
    """Send `messages` (built while the connection is open, one by one) over one connection; returns how
    many the server accepted.

    A recipient the server refuses for good (5xx) is logged and skipped: trying again would not change the
    answer. Any other error (a refused or lost connection, a temporary refusal) ends the batch with
    `BatchInterrupted`, which tells the caller where to continue.
    """
    connection = get_connection(fail_silently=False)
    done = sent = 0
    try:
        connection.open()
        for message in messages:
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                code, answer = next(iter(error.recipients.values()))
                if code < 500:
                    raise
                logger.warning("The mail server refused %s for good: %s %r", message.to, code, answer)
            else:
                sent += 1
            done += 1
    except (smtplib.SMTPException, OSError) as error:
        raise BatchInterrupted(done, sent, error) from error
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - the mails are settled; a failing QUIT changes nothing
            logger.info("Closing the mail connection failed.", exc_info=True)
    return sent
