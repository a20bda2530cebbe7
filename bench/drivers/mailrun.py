"""One measured newsletter run, shared by both newsletter drivers: sink up, senders run, sink report.

Standard library only, because the django-newsletter driver runs in that peer's environment;
the sink itself always runs under the platform's interpreter, which has aiosmtpd.
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

SINK = Path(__file__).resolve().parents[1] / "smtp_sink.py"
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


def run_senders(commands, env, cwd):
    """Start every command at once and wait for all; returns each one's exit code and peak RSS.

    The peak is the kernel's high-water mark for that process (ru_maxrss from wait4), so it
    needs no sampling and cannot miss a short spike.
    """
    processes = [subprocess.Popen(command, env=env, cwd=cwd) for command in commands]
    results = {}
    deadline = time.monotonic() + SENDER_TIMEOUT_S
    while len(results) < len(processes) and time.monotonic() < deadline:
        for process in processes:
            if process.pid in results:
                continue
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                # wait4 reaped it behind Popen's back; tell Popen so it does not wait again.
                process.returncode = os.waitstatus_to_exitcode(status)
                results[pid] = {"exit_code": process.returncode, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}
        time.sleep(0.02)
    for process in processes:
        if process.pid not in results:
            process.kill()
            process.wait()
            results[process.pid] = {"exit_code": "timeout", "peak_rss_mb": None}
    return [results[process.pid] for process in processes]


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
        "sender_peak_rss_mb": max((sender["peak_rss_mb"] or 0) for sender in senders),
        "senders": senders,
        **extra,
    }
