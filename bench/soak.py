"""Soak run (not part of CI): many open topic pages and steady posting for minutes; does memory stay flat?

Two Daphne processes with the production settings and the Redis channel layer serve one topic;
`--clients` readers (each a different member with a session) hold a WebSocket from 4 client
processes, split across the servers; `--posters` members each post a reply every
`--post-interval` seconds over HTTP, alternating servers (production flood limits stay on, so
keep the interval above 30 s). Every `--sample-every` seconds the resident memory (VmRSS) of
each server process is read from /proc.

Prints a summary and writes every sample to `--out` (JSON): RSS at start (once every reader has
joined), at the end, the maximum, the slope of a least-squares line over the second half of the
run (MiB per minute), failed posts, dropped connections, server tracebacks, and how many
(reader, post) pairs arrived or are missing.

    .venv/bin/python bench/soak.py                          # 10 minutes, 300 readers, 20 posters
    .venv/bin/python bench/soak.py --minutes 1 --clients 50 # smoke run, about 2 minutes in all

Reuses the pieces of the live protocol (`live.py`): people and sessions, Daphne, Redis, clients.
Everything listens on 127.0.0.1 only; the database is a fresh SQLite file in a temporary folder.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH / "drivers"))

import live  # noqa: E402
from ours_env import environment  # noqa: E402

CLIENT_PROCESSES = 4
MIB = 1024 * 1024


def rss_bytes(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def slope_per_minute(samples):
    """Least-squares slope of (seconds, bytes) in MiB per minute."""
    if len(samples) < 2:
        return 0.0
    xs = [t for t, _value in samples]
    ys = [value for _t, value in samples]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    variance = sum((x - mean_x) ** 2 for x in xs)
    if not variance:
        return 0.0
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    return covariance / variance * 60 / MIB


def warning_environment(*args, **kwargs):
    """The bench environment, but with the servers' warnings in their logs: they count as errors here."""
    return {**environment(*args, **kwargs), "LOG_LEVEL": "WARNING"}


live.environment = warning_environment


def migrate(db):
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment(db, settings="config.settings.production"),
        check=True,
        timeout=600,
    )


def tracebacks(folder):
    found = []
    for log in sorted(Path(folder).glob("daphne-*.log")):
        text = log.read_text(errors="replace")
        found += [
            line for line in text.splitlines()
            if "Traceback" in line or "Exception inside" in line or "Live connection" in line or "not sent" in line
        ]  # fmt: skip
    return found


def soak(args, folder, log):
    db = folder / "soak.sqlite3"
    log(f"migrating a fresh database in {folder}")
    migrate(db)
    people_file = folder / "people.json"
    subprocess.run(
        [sys.executable, str(BENCH / "live.py"), "setup", "--db", str(db), "--readers", str(args.clients),
         "--posters", str(args.posters), "--out", str(people_file)],
        check=True, timeout=600,
    )  # fmt: skip
    people = json.loads(people_file.read_text())
    redis = live.Redis(folder)
    # redis-py 8 stops reading after 5 s by default, the time the channel layer's blocking read waits
    # on a quiet channel; without a longer socket timeout every quiet connection drops (README).
    servers = live.Servers(db, args.servers, redis.url, folder)
    processes, outs, sent, post_errors = [], [], {}, []
    samples = {port: [] for port in servers.ports}
    try:
        urls = [f"ws://127.0.0.1:{port}/ws/forum/thema/{people['topic_id']}/" for port in servers.ports]
        cookies = [f"{people['session_cookie']}={session}" for session in people["readers"][: args.clients]]
        share = -(-len(cookies) // CLIENT_PROCESSES)
        for first in range(0, len(cookies), share):
            out = folder / f"clients-{first}.json"
            cookie_file = out.with_suffix(".cookies")
            cookie_file.write_text(json.dumps(cookies[first : first + share]))
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(BENCH / "live.py"),
                        "clients",
                        "--urls",
                        ",".join(urls),
                        "--cookies",
                        str(cookie_file),
                        "--out",
                        str(out),
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )  # fmt: skip
            )
            outs.append(out)
        for process in processes:
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError("a client process did not get ready")
        log(f"{len(cookies)} readers joined; posting for {args.minutes} min")

        started = time.monotonic()
        end = started + args.minutes * 60
        next_sample = started
        # Posters start spread over one interval, so that the posts come at an even rate.
        next_post = [started + args.post_interval * index / args.posters for index in range(args.posters)]
        number = 0
        while time.monotonic() < end:
            now = time.monotonic()
            if now >= next_sample:
                for port, process in zip(servers.ports, servers.processes):
                    samples[port].append((round(now - started, 1), rss_bytes(process.pid)))
                next_sample += args.sample_every
            poster = min(range(args.posters), key=next_post.__getitem__)
            if next_post[poster] <= now:
                port = servers.ports[number % len(servers.ports)]
                try:
                    at, post_id = live.post_reply(port, people["topic_id"], people["session_cookie"],
                                                  people["posters"][poster], number)  # fmt: skip
                    sent[post_id] = at
                except Exception as error:  # noqa: BLE001 - a refused post is a result of the run
                    post_errors.append(f"{type(error).__name__}: {error}")
                number += 1
                next_post[poster] += args.post_interval
                if number % 50 == 0:
                    log(f"  {number} posts, {time.monotonic() - started:.0f} s")
                continue
            time.sleep(max(0.0, min(next_post[poster], next_sample, end) - time.monotonic()))
        for port, process in zip(servers.ports, servers.processes):
            samples[port].append((round(time.monotonic() - started, 1), rss_bytes(process.pid)))
        time.sleep(live.ARRIVAL_WAIT_S)
    finally:
        live.finish_clients(processes, timeout=120)
        servers.stop()
        redis.stop()

    delivered = missing = 0
    failures = []
    for out in outs:
        report = json.loads(out.read_text())
        failures += report["failures"]
        for arrivals in report["arrivals"]:
            for post_id in sent:
                if post_id in arrivals:
                    delivered += 1
                else:
                    missing += 1
    memory = {}
    for port, series in samples.items():
        half = [sample for sample in series if sample[0] >= series[-1][0] / 2]
        memory[f"daphne:{port}"] = {
            "start_mib": round(series[0][1] / MIB, 1),
            "end_mib": round(series[-1][1] / MIB, 1),
            "max_mib": round(max(value for _t, value in series) / MIB, 1),
            "slope_mib_per_min_whole": round(slope_per_minute(series), 3),
            "slope_mib_per_min_second_half": round(slope_per_minute(half), 3),
            "samples": [(t, round(value / MIB, 1)) for t, value in series],
        }
    server_errors = tracebacks(folder)
    return {
        "minutes": args.minutes,
        "clients": len(cookies),
        "posters": args.posters,
        "servers": args.servers,
        "posts_sent": len(sent),
        "post_errors": len(post_errors),
        "post_error_examples": sorted(set(post_errors))[:5],
        "expected_deliveries": len(sent) * len(cookies),
        "delivered": delivered,
        "missing": missing,
        "connection_failures": len(failures),
        "connection_failure_examples": sorted(set(failures))[:5],
        "server_tracebacks": len(server_errors),
        "server_traceback_examples": server_errors[:5],
        "memory": memory,
    }


def summary(result):
    lines = [
        f"soak: {result['minutes']} min, {result['clients']} readers on {result['servers']} Daphne processes "
        f"(Redis layer), {result['posters']} posters",
        f"posts: {result['posts_sent']} sent, {result['post_errors']} refused or failed",
        f"deliveries: {result['delivered']} of {result['expected_deliveries']} (missing {result['missing']})",
        f"connections dropped or refused: {result['connection_failures']}; server tracebacks: {result['server_tracebacks']}",
    ]
    for name, memory in result["memory"].items():
        lines.append(
            f"{name}: RSS {memory['start_mib']} → {memory['end_mib']} MiB (max {memory['max_mib']}), slope "
            f"{memory['slope_mib_per_min_whole']} MiB/min (second half {memory['slope_mib_per_min_second_half']})"
        )
    for key in ("post_error_examples", "connection_failure_examples", "server_traceback_examples"):
        if result[key]:
            lines.append(f"{key}: {result[key]}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--posters", type=int, default=20)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--post-interval", type=float, default=35.0, help="seconds between two posts of one poster")
    parser.add_argument("--sample-every", type=float, default=10.0, help="seconds between two RSS samples")
    parser.add_argument("--out", default=str(BENCH / "results" / "soak.json"))
    args = parser.parse_args()

    def log(message):
        print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="sozialraum-soak-") as folder:
        result = soak(args, Path(folder), log)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(summary(result))
    failed = result["post_errors"] or result["missing"] or result["connection_failures"] or result["server_tracebacks"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
