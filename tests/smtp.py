"""A real SMTP server for tests (aiosmtpd) that keeps what it accepts, like a mail sink."""

import asyncio
import email
import email.policy
import threading
from types import SimpleNamespace

from aiosmtpd.controller import Controller

from .servers import free_port


class SinkHandler:
    """Stores a message only when it answers 250, like a real server: a client that vanishes during
    the (optional) delay cancels the handler, and nothing is stored."""

    def __init__(self, delay=0.0):
        self.delay = delay
        self.messages = []
        self.rcpt_answers = {}  # address -> list of answers, used one per attempt
        self.data_answers = []
        # After this many stored messages, DATA is answered once with 421 and the connection closed.
        self.break_off_after = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answers = self.rcpt_answers.get(address.lower())
        if answers:
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_answers:
            return self.data_answers.pop(0)
        if self.break_off_after is not None and len(self.messages) >= self.break_off_after:
            self.break_off_after = None
            return "421 Service not available, closing transmission channel"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(
                SimpleNamespace(
                    rcpt_tos=list(envelope.rcpt_tos),
                    message=message,
                    mail_options=list(envelope.mail_options),
                    content=envelope.content,
                    # (host, port) of the client's end: one per SMTP connection.
                    peer=session.peer,
                )
            )
        return "250 Message accepted for delivery"

    def connections(self):
        return {entry.peer for entry in self.messages}

    def to(self, address):
        return [entry.message for entry in self.messages if address.lower() in [r.lower() for r in entry.rcpt_tos]]


class SinkWithout8BitMime(SinkHandler):
    """A server that does not announce 8BITMIME (aiosmtpd announces it whenever it keeps bytes)."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # With this hook aiosmtpd leaves remembering the EHLO to the handler; MAIL needs it.
        session.host_name = hostname
        return [line for line in responses if line != "250-8BITMIME"]


class ObservingSink(SinkHandler):
    """Remembers, for every MAIL command, what the client had sent after it before it read the answer: a
    client that pipelines (RFC 2920) has sent the RCPTs and DATA already; one that does not, nothing."""

    def __init__(self, delay=0.0):
        super().__init__(delay)
        self.sent_with_mail = []
        # One EHLO per SMTP connection (the client's port may repeat once a connection is closed).
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # With this hook aiosmtpd leaves remembering the EHLO to the handler; MAIL needs it.
        session.host_name = hostname
        self.sessions += 1
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # The reader's buffer holds what arrived and was not read yet (loopback delivers one write at once).
        self.sent_with_mail.append(bytes(server._reader._buffer))
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if answer.startswith("421"):
            # As a real server does after 421; the answer goes out first (it is written before the loop turns).
            asyncio.get_running_loop().call_soon(server.transport.close)
        return answer


class SinkWithPipelining(ObservingSink):
    """Announces PIPELINING, as Postfix does; aiosmtpd reads pipelined commands in order without announcing it."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        responses = await super().handle_EHLO(server, session, envelope, hostname, responses)
        # Before the last line, the only one without a hyphen.
        return [*responses[:-1], "250-PIPELINING", responses[-1]]


def start_sink(delay=0.0, handler_class=SinkHandler):
    handler = handler_class(delay)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return handler, controller
