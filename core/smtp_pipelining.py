"""A stream of messages over one open SMTP connection, pipelined (RFC 2920) where the server offers PIPELINING.

smtplib waits for the answer to every command: MAIL, each RCPT, DATA and the end of data cost a round
trip each, four per message. With PIPELINING one message's content and end of data and the next message's
MAIL, RCPT and DATA go out in one write, and their answers are read together: one round trip and one
write per message, the least SMTP allows (the client must see DATA's 354 before it sends the content).
Without PIPELINING the same steps run one command at a time.

At most one message is ever in flight: its end of data (".") was sent and its answer not yet read.
`settle(envelope, outcome)` is called for each message once its answer is known, and always before
the next message's end of data goes out, so a caller that records each settled message durably in
`settle` knows after a crash that at most the one message in flight may have arrived unrecorded.
The next envelope is taken from `envelopes` while the server reads a write, before its answers are read,
so the caller's work of making a message overlaps the server's work.
Pipelined, a message's content waits (after DATA's 354) until the message before it is settled, and then
leaves with its end of data in the write that carries the next envelope, as the bench's raw sender does:
one write and one wake-up of the server per message instead of two.

Outcomes are exact per recipient: a recipient refused at RCPT (4xx or 5xx) is listed with the server's
answer and the message goes to the others; when every recipient was refused, or MAIL, DATA or the end
of data was refused, the message was not taken, and `outcome.error` is the exception smtplib's
`sendmail` would have raised for it. A server that closes the connection (421, or the connection drops)
ends the stream with `StreamInterrupted`: the messages before were settled, `in_flight` (if any) may have
arrived, the rest were never sent.
"""

import smtplib
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

CRLF = b"\r\n"


@dataclass(frozen=True)
class Envelope:
    #: Bare addresses (no display name, no angle brackets), ASCII.
    sender: str
    recipients: tuple[str, ...]
    #: The message with CRLF line ends, not yet dot-stuffed.
    data: bytes
    #: MAIL FROM parameters, e.g. ("BODY=8BITMIME",).
    options: tuple[str, ...] = ()
    #: The caller's handle for this message (a ledger row); the stream only hands it back.
    tag: object = None
    #: `data` is already as DATA sends it (`transparent_content`: dot-stuffed, CRLF at the end), as a
    #: caller that encodes many messages from one template can make it once for the fixed parts.
    transparent: bool = False


@dataclass
class Outcome:
    #: Recipients the server refused at RCPT: address -> (code, answer).
    refused: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    #: None when the server took the message (for the recipients not refused).
    error: smtplib.SMTPException | None = None

    @property
    def accepted(self) -> bool:
        return self.error is None


class StreamInterrupted(Exception):
    """The server closed the connection (421) or it failed. Every message before was settled;
    `in_flight` is the envelope whose end of data was sent without an answer (it may have arrived) or None;
    the messages after were never sent."""

    def __init__(self, error: Exception, in_flight: object) -> None:
        super().__init__(str(error) or error.__class__.__name__)
        self.error = error
        # An Envelope here; `core.smtp.send_stream` hands its callers the envelope's tag instead.
        self.in_flight = in_flight


Settle = Callable[[Envelope, Outcome], None]


def transparent_content(data: bytes) -> bytes:
    """The message as DATA sends it, without the end-of-data line (RFC 5321 4.5.2 transparency): a line
    that starts with a dot gets a second one, as smtplib's `_quote_periods` does with a regular expression,
    which took 75 µs of a newsletter's 14 KB (a fifth of the worker's time per message). `bytes.replace`
    takes 12–16 µs of the same 14 KB: a sender of many messages from one template makes the fixed parts
    transparent once (`Envelope.transparent`, `newsletter.rendering.MessageTemplate`)."""
    quoted = data.replace(b"\n.", b"\n..")
    if quoted.startswith(b"."):
        quoted = b"." + quoted
    return quoted if quoted.endswith(CRLF) else quoted + CRLF


def _content(envelope: Envelope) -> bytes:
    return envelope.data if envelope.transparent else transparent_content(envelope.data)


def _commands(envelope: Envelope) -> list[bytes]:
    options = "".join(f" {option}" for option in envelope.options)
    lines = [f"MAIL FROM:<{envelope.sender}>{options}"]
    lines += [f"RCPT TO:<{recipient}>" for recipient in envelope.recipients]
    return [line.encode("ascii") + CRLF for line in lines] + [b"DATA" + CRLF]


class _Closed(Exception):
    """The server answered 421: it closes the connection."""

    def __init__(self, code: int, answer: bytes) -> None:
        super().__init__(code, answer)
        self.code, self.answer = code, answer


class _Stream:
    def __init__(self, connection: smtplib.SMTP, settle: Settle, pipelined: bool) -> None:
        self.connection = connection
        self.settle = settle
        self.pipelined = pipelined
        #: (envelope, refused recipients) whose DATA was answered 354 and whose content, with its ".", leads
        #: the next write (pipelined only).
        self.open: tuple[Envelope, dict] | None = None
        #: (envelope, refused recipients) whose "." went out; its answer is the next one to read.
        self.in_flight: tuple[Envelope, dict] | None = None
        #: A message whose answer was read; it is settled once the next message's envelope was answered.
        self.unreported: tuple[Envelope, Outcome] | None = None
        #: A transaction was begun (MAIL accepted) and not completed: RSET before the next MAIL.
        self.reset = False
        #: What making the next envelope raised (`take`).
        self.failure: Exception | None = None

    def reply(self) -> tuple[int, bytes]:
        code, answer = self.connection.getreply()
        if code == 421:
            raise _Closed(code, answer)
        return code, answer

    def report(self) -> None:
        if self.unreported is not None:
            envelope, outcome = self.unreported
            self.unreported = None
            self.settle(envelope, outcome)

    def finish_in_flight(self) -> None:
        """Read the answer to the "." of the message in flight."""
        assert self.in_flight is not None
        envelope, refused = self.in_flight
        try:
            code, answer = self.reply()
        except _Closed as closed:
            # Refused, not lost: the server says so before it closes.
            self.in_flight = None
            self.report()
            self.settle(envelope, Outcome(refused, smtplib.SMTPDataError(closed.code, closed.answer)))
            raise
        self.in_flight = None
        self.report()
        self.unreported = (envelope, Outcome(refused, None if code == 250 else smtplib.SMTPDataError(code, answer)))

    def command(self, line: bytes) -> tuple[int, bytes]:
        """One command's answer; pipelined, every command of the group was sent already."""
        if not self.pipelined:
            self.connection.send(line)
        return self.reply()

    def transaction(self, envelope: Envelope, commands: list[bytes]) -> Outcome | dict:
        """MAIL, RCPT, DATA (`commands`): the outcome of a message the server will not take, or its refused
        recipients once DATA was answered 354."""
        code, answer = self.command(commands[0])
        if code != 250:
            if self.pipelined:
                # The RCPTs and DATA went out anyway; the server refuses them outside a transaction.
                for _command in commands[1:]:
                    self.reply()
            return Outcome(error=smtplib.SMTPSenderRefused(code, answer, envelope.sender))
        self.reset = True
        refused = {}
        for recipient, line in zip(envelope.recipients, commands[1:-1], strict=True):
            code, answer = self.command(line)
            if code not in (250, 251):
                refused[recipient] = (code, answer)
        if len(refused) == len(envelope.recipients):
            if self.pipelined and self.reply()[0] == 354:
                # A server that accepts DATA without recipients gets an empty message, taken by nobody.
                self.connection.send(b"." + CRLF)
                self.reply()
                self.reset = False
            return Outcome(refused, smtplib.SMTPRecipientsRefused(refused))
        code, answer = self.command(commands[-1])
        if code != 354:
            return Outcome(refused, smtplib.SMTPDataError(code, answer))
        return refused

    def take(self, upcoming: Iterator[Envelope]) -> Envelope | None:
        """The next envelope, made while the server works on what was just written. What making it raises
        waits until the message in flight is settled (`send` raises it then), so it never leaves a
        message that may have arrived unsettled."""
        try:
            return next(upcoming, None)
        except Exception as error:  # noqa: BLE001 - raised again by `send` once the answers are read
            self.failure = error
            return None

    def send(self, envelope: Envelope, upcoming: Iterator[Envelope]) -> Envelope | None:
        """Send `envelope`; returns the next one of `upcoming`, made while the server reads this write."""
        head = b""
        if self.open is not None:
            # Only now, with the message before it settled, may its end of data go out.
            head = _content(self.open[0]) + b"." + CRLF
            self.in_flight, self.open = self.open, None
        if self.reset:
            head += b"RSET" + CRLF
        commands = _commands(envelope)
        if self.pipelined:
            # The previous message's content and end, a reset if needed and this message's envelope: one write.
            self.connection.send(head + b"".join(commands))
        elif self.reset:
            self.connection.send(head)
        following = self.take(upcoming)
        if self.in_flight is not None:
            self.finish_in_flight()
        if self.reset:
            self.reply()
            self.reset = False
        result = self.transaction(envelope, commands)
        if isinstance(result, Outcome):
            self.report()
            self.settle(envelope, result)
        elif self.pipelined:
            self.reset = False
            self.report()
            self.open = (envelope, result)
        else:
            self.reset = False
            self.connection.send(_content(envelope) + b"." + CRLF)
            self.in_flight = (envelope, result)
            self.finish_in_flight()
            self.report()
        if self.failure is not None:
            # `envelope`'s content (pipelined) was not sent: the server drops the transaction with the connection.
            raise self.failure
        return following

    def close(self) -> None:
        if self.open is not None:
            self.connection.send(_content(self.open[0]) + b"." + CRLF)
            self.in_flight, self.open = self.open, None
            self.finish_in_flight()
        self.report()


def send_stream(connection: smtplib.SMTP, envelopes: Iterable[Envelope], settle: Settle) -> None:
    """Send `envelopes` (taken one by one, so a caller can build them lazily and stop early) over the open
    `connection`, calling `settle` for each as explained in the module docstring."""
    connection.ehlo_or_helo_if_needed()
    if connection.sock is not None:
        try:
            # Without it the small write that ends a message waits for the acknowledgement of its content.
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not a TCP socket: nothing to switch off
    stream = _Stream(connection, settle, pipelined=connection.has_extn("pipelining"))
    upcoming = iter(envelopes)
    try:
        envelope = next(upcoming, None)
        while envelope is not None:
            envelope = stream.send(envelope, upcoming)
        stream.close()
    except _Closed as closed:
        error: Exception = smtplib.SMTPServerDisconnected(f"{closed.code} {closed.answer.decode(errors='replace')}")
    except (smtplib.SMTPException, OSError) as failure:
        error = failure
    else:
        return
    connection.close()
    # Answers read before the connection ended still count.
    stream.report()
    in_flight = stream.in_flight
    raise StreamInterrupted(error, in_flight[0] if in_flight else None)
