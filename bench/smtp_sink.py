"""A counting SMTP server on loopback, in its own process, for the newsletter protocol.

Prints its port on the first line of stdout once it accepts connections. On SIGTERM it writes
what it accepted to the JSON file named on the command line and exits: how many messages, how
many distinct recipients, which recipients came more than once, and when the first and the
last message were accepted (time.time(), comparable with the driver's clock on this machine).
The first message it accepted is kept beside the report (`<report>.sample.eml`), so that the raw
sender of the newsletter protocol can push messages of exactly that size and shape.

It offers PIPELINING (RFC 2920) in its EHLO answer, as Postfix does. aiosmtpd does not advertise
it, but it reads commands one after the other from its buffer, so a client that sends MAIL, RCPT
and DATA in one write gets the three answers in order, which is all pipelining asks of a server.
"""

import ctypes
import json
import signal
import socket
import sys
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller


class CountingHandler:
    def __init__(self):
        self.sample = None
        self.recipients = Counter()
        self.messages = 0
        self.first = None
        self.last = None

    async def handle_DATA(self, server, session, envelope):
        # No parsing: the sink must never be the slowest part of the measurement.
        now = time.time()
        self.first = self.first or now
        self.last = now
        self.messages += 1
        if self.sample is None:
            self.sample = envelope.original_content or envelope.content
        self.recipients.update(address.lower() for address in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        # Before the last line ("250 HELP"), which is the only one without a hyphen.
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    def report(self):
        return {
            "messages": self.messages,
            "recipients": sum(self.recipients.values()),
            "distinct_recipients": len(self.recipients),
            "duplicates": sorted(address for address, count in self.recipients.items() if count > 1)[:20],
            "first_accepted": self.first,
            "last_accepted": self.last,
        }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(report_path):
    # A driver killed by its timeout must not leave its sink behind (PR_SET_PDEATHSIG: SIGTERM when it dies).
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    print(controller.port, flush=True)
    stop.wait()
    controller.stop()
    with open(report_path, "w") as handle:
        json.dump(handler.report(), handle)
    if handler.sample is not None:
        with open(f"{report_path}.sample.eml", "wb") as handle:
            handle.write(handler.sample if isinstance(handler.sample, bytes) else handler.sample.encode())


if __name__ == "__main__":
    main(sys.argv[1])
