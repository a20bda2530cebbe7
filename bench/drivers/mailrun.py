"""One measured newsletter run, shared by both newsletter drivers: sink up, senders run, sink report.

Standard library only, because the django-newsletter driver runs in that peer's environment;
the sink itself always runs under the platform's interpreter, which has aiosmtpd.
"""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

SINK = Path(__file__).resolve().parents[1] / "smtp_sink.py"
MEASURED = Path(__file__).resolve().with_name("measured.py")
SENDER_TIMEOUT_S = 600


class Sink:
    def __init__(self, python, report_path):
        self.report_path = report_path
        self.process = subprocess.Popen([python, str(SINK), report_path], stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        with open(self.report_path) as handle:
            return json.load(handle)


def start_measured(command, report, **popen):
    """`command` started through measured.py, which writes its exit code and its own peak RSS to `report`
    (why not the driver's wait4: see measured.py). The command inherits the pipes given in `popen`."""
    process = subprocess.Popen([sys.executable, str(MEASURED), str(report), *command], **popen)
    process.report = report
    return process


def wait_measured(processes, timeout=SENDER_TIMEOUT_S):
    """Wait for every process of `start_measured`; returns each one's exit code and peak RSS (ru_maxrss)."""
    deadline = time.monotonic() + timeout
    results = []
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            process.terminate()  # measured.py stops its command
            process.wait()
            results.append({"exit_code": "timeout", "peak_rss_mb": None})
            continue
        with open(process.report) as handle:
            results.append(json.load(handle))
    return results


def run_senders(commands, env, cwd, report_prefix):
    """Start every command at once and wait for all; returns each one's exit code and peak RSS."""
    processes = [
        start_measured(command, f"{report_prefix}.sender-{number}.json", env=env, cwd=cwd)
        for number, command in enumerate(commands)
    ]
    return wait_measured(processes)


def outcome(recipients, started, sink_report, senders, **extra):
    """The numbers of one run; `started` is time.time() at the moment the send was triggered."""
    last, first = sink_report["last_accepted"], sink_report["first_accepted"]
    wall = (last - started) if last else None
    exactly_once = (
        sink_report["messages"] == recipients
        and sink_report["distinct_recipients"] == recipients
        and sink_report["recipients"] == recipients
    )
    return {
        "recipients": recipients,
        "accepted": sink_report["messages"],
        "exactly_once": exactly_once,
        "duplicates": sink_report["duplicates"],
        "wall_s": round(wall, 2) if wall else None,
        "messages_per_s": round(recipients / wall, 1) if wall else None,
        "first_message_after_s": round(first - started, 2) if first else None,
        "steady_messages_per_s": round((sink_report["messages"] - 1) / (last - first), 1)
        if last and last > first
        else None,
        "sink": sink_report.get("server"),
        "sender_peak_rss_mb": max((sender["peak_rss_mb"] or 0) for sender in senders),
        "senders": senders,
        **extra,
    }
