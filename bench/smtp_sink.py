"""A counting SMTP server on loopback, in its own process, for the newsletter protocol.

Prints its port on the first line of stdout once it accepts connections. On SIGTERM it writes
what it accepted to the JSON file named on the command line and exits: how many messages, how
many distinct recipients, which recipients came more than once, and when the first and the
last message were accepted (time.time(), comparable with the driver's clock on this machine).
"""

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
        self.recipients.update(address.lower() for address in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

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


if __name__ == "__main__":
    main(sys.argv[1])
