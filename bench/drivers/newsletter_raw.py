"""The newsletter's limit: pre-rendered messages pushed to the same sink as fast as SMTP allows.

No Django, no database, no rendering: each worker process holds one persistent connection,
checks that the server offers PIPELINING (RFC 2920) and sends every message with one round trip
— the message's data, its end-of-data dot and the next message's MAIL FROM, RCPT TO and DATA go
in one write; then it reads the four answers (250 for the message, 250, 250, 354). The messages
are the bytes of the platform's first message in the same run (kept by the sink), one per
recipient, built before the clock starts; the workers start together when told and the wall
time runs from that moment to the sink's last accepted message, as for the platform.

    newsletter_raw.py --out R.json --sample S.eml --sizes 2000,10000 --workers 1,2
"""

import argparse
import json
import re
import socket
import subprocess
import sys
import time

from mailrun import Sink, outcome, start_measured, wait_measured

SENDER = b"sozialraum@example.org"


def recipient(number):
    return f"leserin{number:05d}@example.org"


def envelope(address):
    return b"MAIL FROM:<" + SENDER + b"> BODY=8BITMIME\r\nRCPT TO:<" + address.encode() + b">\r\nDATA\r\n"


class Replies:
    def __init__(self, connection):
        self.file = connection.makefile("rb")

    def read(self, expected):
        """One reply (all its lines); raises unless its code is `expected`."""
        while True:
            line = self.file.readline()
            if not line:
                raise RuntimeError("the server closed the connection")
            if line[3:4] != b"-":
                break
        if not line.startswith(expected):
            raise RuntimeError(f"expected {expected!r}, got {line!r}")
        return line


def worker(port, sample_path, first, count):
    data = open(sample_path, "rb").read()
    # Transparency (RFC 5321 4.5.2): a line starting with a dot gets a second one.
    data = re.sub(rb"(?m)^\.", b"..", data.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    body = data + b".\r\n"
    envelopes = [envelope(recipient(number)) for number in range(first, first + count)]
    print("ready", flush=True)
    sys.stdin.readline()
    connection = socket.create_connection(("127.0.0.1", port))
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    replies = Replies(connection)
    replies.read(b"220")
    connection.sendall(b"EHLO raw-sender.example.org\r\n")
    offered = []
    while True:
        line = replies.file.readline()
        offered.append(line[4:].strip().upper())
        if line[3:4] != b"-":
            break
    if b"PIPELINING" not in offered:
        raise RuntimeError("the server does not offer PIPELINING")
    connection.sendall(envelopes[0])
    for expected in (b"250", b"250", b"354"):
        replies.read(expected)
    for index in range(count):
        last = index + 1 == count
        connection.sendall(body if last else body + envelopes[index + 1])
        replies.read(b"250")
        if not last:
            for expected in (b"250", b"250", b"354"):
                replies.read(expected)
    connection.sendall(b"QUIT\r\n")
    replies.read(b"221")
    connection.close()


def measure(sample, size, workers, report_path):
    sink = Sink(sys.executable, report_path)
    share = -(-size // workers)
    processes = [
        start_measured(
            [
                sys.executable,
                __file__,
                "worker",
                "--port",
                str(sink.port),
                "--sample",
                sample,
                "--first",
                str(first),
                "--count",
                str(min(share, size - first)),
            ],
            f"{report_path}.sender-{first}.json",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for first in range(0, size, share)
    ]
    for process in processes:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("a raw sender did not get ready")
    started = time.time()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    senders = wait_measured(processes)
    report = sink.stop()
    if any(sender["exit_code"] for sender in senders):
        raise RuntimeError(f"a raw sender failed: {senders}")
    return outcome(size, started, report, senders, workers=workers)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command")
    worker_command = commands.add_parser("worker")
    worker_command.add_argument("--port", type=int, required=True)
    worker_command.add_argument("--sample", required=True)
    worker_command.add_argument("--first", type=int, required=True)
    worker_command.add_argument("--count", type=int, required=True)
    parser.add_argument("--out")
    parser.add_argument("--sample")
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    if args.command == "worker":
        worker(args.port, args.sample, args.first, args.count)
        return
    runs = []
    for size in [int(size) for size in args.sizes.split(",")]:
        for workers in [int(count) for count in args.workers.split(",")]:
            runs.append(measure(args.sample, size, workers, f"{args.out}.sink-{len(runs)}.json"))
    sample_bytes = len(open(args.sample, "rb").read())
    with open(args.out, "w") as handle:
        json.dump({"app": "raw", "message_bytes": sample_bytes, "runs": runs}, handle, indent=2)


if __name__ == "__main__":
    main()
