"""A counting SMTP server on loopback, in its own process, for the newsletter protocol.

    smtp_sink.py REPORT.json

Prints its port on the first line of stdout once it accepts connections. On SIGTERM it writes
what it accepted to REPORT.json and exits: how many messages, how many recipients (RCPT commands),
how many distinct ones, which came more than once, and when the first and the last message were
accepted (time.time(), comparable with the driver's clock on this machine). Every bench message has
one recipient, so N accepted messages, N RCPT commands and N distinct addresses mean every
recipient is in exactly one accepted message: an accepted transaction has at least one RCPT, and
a recipient of an aborted one would count twice or leave a message short.

The server is Postfix's `smtp-sink` where it is installed (Debian package postfix, which
`make bench` installs as root; see bench/README.md): Postfix's own test server for measuring SMTP
clients, one event-driven C process that answers EHLO as Postfix does (PIPELINING, 8BITMIME, ...)
and throws the data away. With `-v` it logs each command it processed (not the data) to stderr;
a thread here counts the RCPT lines per address and the end-of-data lines ("."), which it stamps
as they arrive. The single-process aiosmtpd sink before it took about 1,450 msg/s on this
machine: the limit of every row instead of the senders. Without Postfix (or with
BENCH_SMTP_SINK=aiosmtpd) the aiosmtpd sink runs, with PIPELINING added to its EHLO answer
(aiosmtpd 1.4 does not advertise it but processes pipelined commands in order), and the report
says which server it was.
"""

import ctypes
import fcntl
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

F_SETPIPE_SZ = 1031
PR_SET_PDEATHSIG = 1
POSTFIX_SINK = "/usr/sbin/smtp-sink"


class Tally:
    def __init__(self, server):
        self.server = server
        self.recipients = Counter()
        self.messages = 0
        self.first = None
        self.last = None

    def accepted(self):
        now = time.time()
        self.first = self.first or now
        self.last = now
        self.messages += 1

    def report(self):
        return {
            "server": self.server,
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


def postfix_sink():
    """The path of Postfix's smtp-sink, unless it is missing or the aiosmtpd sink is asked for."""
    if os.environ.get("BENCH_SMTP_SINK") == "aiosmtpd":
        return None
    return shutil.which("smtp-sink") or (POSTFIX_SINK if os.access(POSTFIX_SINK, os.X_OK) else None)


def serve_postfix(binary, stop):
    port = free_port()
    # It refuses to run as root; as root this starts it as nobody (its own -u option would change the user
    # after the start, which clears the parent-death signal that stops it when this process dies).
    account = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
    process = subprocess.Popen(
        # Its log lines start with argv[0]; the reader below expects "smtp-sink: ".
        ["smtp-sink", "-v", "-4", "-h", "sink.example.org", f"127.0.0.1:{port}", "256"],
        executable=binary,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        user=account.pw_uid if account else None,
        group=account.pw_gid if account else None,
        extra_groups=[] if account else None,
        # Runs in the child after the user change (PR_SET_PDEATHSIG: SIGTERM when this process dies).
        preexec_fn=lambda: ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM),
    )
    # A larger pipe, so that the server never waits for this process to read its log.
    fcntl.fcntl(process.stderr.fileno(), F_SETPIPE_SZ, 1 << 20)
    tally = Tally("postfix smtp-sink")

    def read_log():
        recipients = tally.recipients
        for line in process.stderr:
            # "smtp-sink: RCPT TO:<address> PARAMS" (as the client wrote it), "smtp-sink: ." (end of data)
            if line[:16].lower() == b"smtp-sink: rcpt ":
                address = line[15:].split(b"<", 1)[1].split(b">", 1)[0]
                recipients[address.decode().lower()] += 1
            elif line == b"smtp-sink: .\n":
                tally.accepted()

    reader = threading.Thread(target=read_log)
    reader.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                if probe.recv(100).startswith(b"220"):
                    probe.sendall(b"QUIT\r\n")
                    probe.recv(100)
                    break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("Postfix's smtp-sink did not start") from None
            time.sleep(0.05)
    print(port, flush=True)
    stop.wait()
    process.terminate()
    process.wait(timeout=10)
    reader.join(timeout=10)
    return tally


def serve_aiosmtpd(stop):
    from aiosmtpd.controller import Controller

    tally = Tally("aiosmtpd")

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            # No parsing: the sink must never be the slowest part of the measurement.
            tally.accepted()
            tally.recipients.update(address.lower() for address in envelope.rcpt_tos)
            return "250 Message accepted for delivery"

        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            # Before the last line ("250 HELP"), which is the only one without a hyphen.
            return [*responses[:-1], "250-PIPELINING", responses[-1]]

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    print(controller.port, flush=True)
    stop.wait()
    controller.stop()
    return tally


def main(report_path):
    # A driver killed by its timeout must not leave its sink behind (PR_SET_PDEATHSIG: SIGTERM when it dies).
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    binary = postfix_sink()
    tally = serve_postfix(binary, stop) if binary else serve_aiosmtpd(stop)
    with open(report_path, "w") as handle:
        json.dump(tally.report(), handle)


if __name__ == "__main__":
    main(sys.argv[1])
