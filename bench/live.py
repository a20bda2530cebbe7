"""Live protocol: N WebSocket readers of one topic on real Daphne servers, a reply over HTTP, time to arrive.

Three roles, each its own process:
  `run()` (imported by run.py) starts redis-server and Daphne, the client processes, and posts;
  `live.py setup` creates the topic, the readers and the posters with their sessions (platform venv);
  `live.py clients` holds a share of the WebSocket connections and records when each post arrived.
Times are time.monotonic(), the system-wide CLOCK_MONOTONIC, so they compare across processes.
Everything listens on 127.0.0.1 only.
"""

import argparse
import asyncio
import base64
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH / "drivers"))

from ours_env import environment, setup  # noqa: E402

CLIENT_PROCESSES = 4
CONNECT_CONCURRENCY = 50
CONNECT_ATTEMPTS = 5
POST_INTERVAL_S = 0.5
SETTLE_S = 3.0
SETTLE_LIMIT_S = 120.0
# Idle servers still answer the readers' heartbeats (one every 15 s per connection): a few % of a core.
IDLE_CPU_SHARE = 0.25
ARRIVAL_WAIT_S = 5.0
# Thousands of readers joining one process took about 3 minutes on two busy cores (2026-12-04).
READY_TIMEOUT_S = 300.0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- setup (inside the platform's environment) -------------------------------------------------------


def create_people(db, readers, posters, out):
    """One topic, `readers` distinct people with a session each, and one poster per post.

    A poster writes a single reply: the production flood limits stay in force, as on a real site.
    Accounts are older than the new-account window, like the regular members of a network.
    """
    setup(db, settings="config.settings.production")
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from forum import services
    from forum.models import Board
    from network.models import User

    joined = timezone.now() - timedelta(days=60)
    people = User.objects.bulk_create(
        [
            User(
                email=f"{role}{number:04d}@example.org",
                display_name=f"{role.title()} {number}",
                approval=User.Approval.APPROVED,
                date_joined=joined,
                password="!",
            )
            for role, count in (("leser", readers), ("autor", posters + 1))
            for number in range(count)
        ]
    )

    def session(user):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    board = Board.objects.create(name="Live", slug="live", kind=Board.Kind.GENERAL)
    topic = services.create_topic(people[readers], board, "Live-Thema", "Wer liest mit? Ein erster Beitrag.")
    data = {
        "topic_id": topic.pk,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "readers": [session(user) for user in people[:readers]],
        "posters": [session(user) for user in people[readers + 1 :]],
    }
    Path(out).write_text(json.dumps(data))


# --- clients (separate processes) -------------------------------------------------------------------------


class Reader(asyncio.Protocol):
    """One WebSocket reader, as little client work per frame as can be: the time of arrival is taken
    when the bytes come off the socket, before any parsing, and a frame is only searched for the post
    ids it carries (the server's frames are unmasked and, from Daphne, never fragmented).

    A full client library (a task, a queue and a UTF-8 check per frame, JSON parsed afterwards) spent
    its time on the same two cores as the server, just when hundreds of frames arrived at once, and
    that time counted as latency of the server it measured, ours and the bare relay alike.
    """

    def __init__(self, host, path, origin, cookie):
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {origin}\r\nCookie: {cookie}\r\n\r\n"
        ).encode()
        self.buffer = b""
        self.handshaken = False
        self.arrivals = {}
        loop = asyncio.get_running_loop()
        # Set at the first frame: the consumer announces the reader count once it has joined the topic's group.
        self.joined = loop.create_future()
        self.closed = loop.create_future()
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        now = time.monotonic()
        buffer = self.buffer + data if self.buffer else data
        position = 0
        if not self.handshaken:
            position = buffer.find(b"\r\n\r\n") + 4
            if position < 4:
                self.buffer = buffer
                return
            status = buffer[: buffer.find(b"\r\n")]
            if b" 101 " not in status:
                self._fail(f"handshake refused: {status.decode(errors='replace')}")
                return
            self.handshaken = True
        size = len(buffer)
        while size - position >= 2:
            length, start = buffer[position + 1] & 0x7F, position + 2
            if length == 126:
                length, start = int.from_bytes(buffer[position + 2 : position + 4], "big"), position + 4
            elif length == 127:
                length, start = int.from_bytes(buffer[position + 2 : position + 10], "big"), position + 10
            stop = start + length
            if size < stop:
                break
            opcode, position = buffer[position] & 0x0F, stop
            if opcode == 0x1:
                if not self.joined.done():
                    self.joined.set_result(None)
                if buffer.find(b'"event": "created"', start, stop) >= 0:
                    for post_id in POST_ID.findall(buffer, start, stop):
                        self.arrivals.setdefault(post_id.decode(), now)
            elif opcode == 0x9:
                self._send(0xA, buffer[start:stop])
            elif opcode == 0x8:
                code = int.from_bytes(buffer[start : start + 2], "big") if length >= 2 else None
                self._fail(f"closed by the server: {code}")
                return
        self.buffer = buffer[position:]

    def _send(self, opcode, payload):
        # A client masks what it sends (RFC 6455, 5.3).
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def _fail(self, reason):
        if not self.closed.done():
            self.closed.set_result(reason)
        if not self.joined.done():
            self.joined.set_exception(ConnectionError(reason))
        self.transport.close()

    def connection_lost(self, error):
        self._fail(f"connection lost: {error}")


# The ids of a `posts` frame's posts; within the posts' HTML (a JSON string) every quote is escaped.
POST_ID = re.compile(rb'"id": (\d+)')


async def hold_connections(urls, origin, cookies, out):
    loop = asyncio.get_running_loop()
    readers, failures, retries = [None] * len(cookies), [], []
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def connect(index, cookie):
        url = urllib.parse.urlsplit(urls[index % len(urls)])
        # The server drops a handshake that takes too long; when thousands of readers arrive at
        # once that happens, and live.js then reconnects with growing pauses. So does this reader.
        for attempt in range(CONNECT_ATTEMPTS):
            async with gate:
                reader = Reader(url.netloc, url.path, origin, cookie)
                try:
                    await asyncio.wait_for(
                        loop.create_connection(lambda reader=reader: reader, url.hostname, url.port), 60
                    )
                    await asyncio.wait_for(reader.joined, 60)
                    readers[index] = reader
                    return
                except Exception as error:  # noqa: BLE001 - a refused connection is a result, not a crash
                    last_error = f"{type(error).__name__}: {error}"
                    if reader.transport is not None:
                        reader.transport.abort()
            retries.append(index)
            await asyncio.sleep(min(2**attempt, 8))
        failures.append(last_error)

    try:
        await asyncio.wait_for(asyncio.gather(*(connect(index, cookie) for index, cookie in enumerate(cookies))),
                               READY_TIMEOUT_S)  # fmt: skip
    except TimeoutError:
        failures.append("not joined within the time limit")
    print("ready", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    for reader in readers:
        if reader is not None and reader.closed.done():
            failures.append(reader.closed.result())
    arrivals = [reader.arrivals if reader is not None else {} for reader in readers]
    Path(out).write_text(json.dumps({"arrivals": arrivals, "failures": failures, "retries": len(retries)}))


# --- orchestration -----------------------------------------------------------------------------------------


def wait_for_http(port, deadline):
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/forum/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Daphne on port {port} did not answer")


def post_reply(port, topic_id, session_cookie, session, number):
    """A reply as a browser sends it; returns (sent at, post id)."""
    token = secrets.token_hex(16)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "text": f"Live-Antwort {number}: Der Treffpunkt ist heute um **{number}** Uhr offen.",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"{session_cookie}={session}; csrftoken={token}",
        "Host": f"127.0.0.1:{port}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = time.monotonic()
    connection.request("POST", f"/forum/thema/{topic_id}/antworten/", body, headers)
    response = connection.getresponse()
    response.read()
    location = response.getheader("Location", "")
    if response.status != 302 or "/beitrag/" not in location:
        raise RuntimeError(f"reply {number} was not accepted: {response.status} {location}")
    return sent, location.rstrip("/").rsplit("/", 1)[1]


class Servers:
    """`count` Daphne processes serving the platform (`app="ours"`) or the bare relay (`app="bare"`)."""

    APPLICATIONS = {"ours": "config.asgi:application", "bare": "bare_relay:application"}

    def __init__(self, db, count, redis_url, folder, app="ours"):
        self.ports = [free_port() for _index in range(count)]
        env = environment(db, settings="config.settings.production", **({"REDIS_URL": redis_url} if redis_url else {}))
        env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], str(BENCH)])
        daphne = str(Path(sys.executable).with_name("daphne"))
        self.logs = [open(Path(folder) / f"daphne-{app}-{port}.log", "w") for port in self.ports]
        self.processes = [
            subprocess.Popen(
                # The handshake timeout of the documented deployment (README.md), for ours and the relay alike.
                [
                    daphne,
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "--websocket_connect_timeout",
                    "30",
                    self.APPLICATIONS[app],
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for port, log in zip(self.ports, self.logs)
        ]
        # Four processes importing Django at once on two busy cores took more than a minute.
        deadline = time.monotonic() + 180
        try:
            for port in self.ports:
                wait_for_http(port, deadline)
        except RuntimeError:
            self.stop()
            raise

    def cpu_seconds(self):
        """User and system CPU time the server processes have used so far (from /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for process in self.processes:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / ticks

    def settle(self, least_s, most_s, idle_share):
        """Wait at least `least_s` and until the servers used less than `idle_share` of a core over a second."""
        started = time.monotonic()
        time.sleep(least_s)
        while time.monotonic() - started < most_s:
            before = self.cpu_seconds()
            time.sleep(1.0)
            if self.cpu_seconds() - before < idle_share:
                break
        return time.monotonic() - started

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self.logs:
            log.close()


class Redis:
    def __init__(self, folder):
        self.port = free_port()
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def finish_clients(processes, timeout):
    """Ask each client process for its report and wait; kill whatever is left (also after an error)."""
    for process in processes:
        with contextlib.suppress(OSError):
            process.stdin.write("stop\n")
            process.stdin.flush()
    deadline = time.monotonic() + timeout
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        if process.poll() is None:
            process.kill()
            process.wait()


def percentile(ordered, share):
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(db, folder, people, clients, servers_count, redis_url, posts, poster_offset, log, app="ours"):
    servers = Servers(db, servers_count, redis_url, folder, app)
    urls = [f"ws://127.0.0.1:{port}/ws/forum/thema/{people['topic_id']}/" for port in servers.ports]
    cookies = [f"{people['session_cookie']}={session}" for session in people["readers"][:clients]]
    processes, outs = [], []
    try:
        share = -(-clients // CLIENT_PROCESSES)
        for first in range(0, clients, share):
            out = Path(folder) / f"clients-{app}-{clients}-{servers_count}-{poster_offset}-{first}.json"
            cookie_file = out.with_suffix(".cookies")
            cookie_file.write_text(json.dumps(cookies[first : first + share]))
            # Connection i of every process goes to server i mod n: the readers are split across servers.
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        __file__,
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
                )
            )
            outs.append(out)
        started = time.monotonic()
        for process in processes:
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError("a client process did not get ready")
        connect_s = time.monotonic() - started
        log(f"  {clients} readers joined in {connect_s:.1f} s")
        # Each join triggers a (debounced) reader-count broadcast to everyone joined so far; with
        # thousands of readers the servers are still at that when the last reader has joined. Posts
        # sent then measure the backlog of the joins, not the delivery: wait until the servers idle.
        settle_s = servers.settle(SETTLE_S, SETTLE_LIMIT_S, IDLE_CPU_SHARE)
        log(f"  servers idle after {settle_s:.1f} s")
        cpu_before = servers.cpu_seconds()
        sent = {}
        for number in range(posts):
            at, post_id = post_reply(servers.ports[number % servers_count], people["topic_id"], people["session_cookie"],
                                     people["posters"][poster_offset + number], number)  # fmt: skip
            sent[post_id] = at
            time.sleep(POST_INTERVAL_S)
        time.sleep(ARRIVAL_WAIT_S)
        # Idle servers use next to nothing, so the time around the posts is the cost of delivering them.
        cpu_s = servers.cpu_seconds() - cpu_before
    finally:
        finish_clients(processes, timeout=60)
        servers.stop()
    latencies, missing, failures, retries = [], 0, [], 0
    for out in outs:
        report = json.loads(out.read_text())
        failures += report["failures"]
        retries += report["retries"]
        for arrivals in report["arrivals"]:
            for post_id, at in sent.items():
                if post_id in arrivals:
                    latencies.append((arrivals[post_id] - at) * 1000)
                else:
                    missing += 1
    ordered = sorted(latencies)
    return {
        "app": app,
        "clients": clients,
        "servers": servers_count,
        "layer": "redis" if redis_url else "in-memory",
        "posts": posts,
        "expected": clients * posts,
        "received": len(latencies),
        "missing": missing,
        "connect_s": round(connect_s, 1),
        "settle_s": round(settle_s, 1),
        "connection_failures": len(failures),
        "connect_retries": retries,
        "failure_examples": sorted(set(failures))[:5],
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(percentile(ordered, 0.95), 1) if ordered else None,
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "server_cpu_s": round(cpu_s, 2),
        "cpu_ms_per_frame": round(cpu_s * 1000 / len(latencies), 3) if latencies else None,
    }


REPEATS = 3
SCALING_READERS = (500, 1000, 2000, 4000)
SCALING_SERVERS = (1, 2, 4)


def plan(quick, scaling, scaling_readers=SCALING_READERS):
    """(app, readers, servers, Redis?, repeat) of every measurement, in the order they run.

    The target configuration runs three times, ours and the bare relay taking turns, so that a busy
    moment of the machine does not decide a target: the table reports the median of the p95s.
    """
    if scaling:
        readers = (50, 100) if quick else scaling_readers
        return [("ours", count, servers, True, 1) for count in readers for servers in SCALING_SERVERS]
    many = 50 if quick else 500
    runs = [("ours", 20 if quick else 100, 1, False, 1)]
    for repeat in range(1, REPEATS + 1):
        runs += [("ours", many, 1, False, repeat), ("bare", many, 1, False, repeat)]
    runs += [("ours", many, 2, True, 1), ("bare", many, 2, True, 1)]
    return runs


def run(db, folder, quick, log, scaling=False, scaling_readers=SCALING_READERS):
    """Every configuration of the protocol (or of the scaling curve); returns that part of results.json."""
    consumer = ROOT / "forum" / "consumers.py"
    if not consumer.exists():
        return {"pending": "forum/consumers.py does not exist yet", "configs": []}
    runs = plan(quick, scaling, scaling_readers)
    posts = 5 if quick else 20
    readers = max(run[1] for run in runs)
    ours_runs = sum(1 for run in runs if run[0] == "ours")
    people_file = Path(folder) / "live-people.json"
    subprocess.run(
        [sys.executable, __file__, "setup", "--db", str(db), "--readers", str(readers),
         "--posters", str(posts * ours_runs), "--out", str(people_file)],
        check=True, timeout=600,
    )  # fmt: skip
    people = json.loads(people_file.read_text())
    results, poster_offset = [], 0
    for app, clients, servers_count, with_redis, repeat in runs:
        log(
            f"live ({app}, run {repeat}): {clients} readers, {servers_count} server(s), {'Redis' if with_redis else 'in-memory'} layer"
        )
        redis = Redis(folder) if with_redis else None
        try:
            # The bare relay ignores who posts, so it reuses the first posters' sessions.
            result = measure(db, folder, people, clients, servers_count, redis.url if redis else None, posts,
                             poster_offset if app == "ours" else 0, log, app)  # fmt: skip
        finally:
            if redis:
                redis.stop()
        if app == "ours":
            poster_offset += posts
        result["repeat"] = repeat
        log(
            f"  p50 {result['p50_ms']} / p95 {result['p95_ms']} / max {result['max_ms']} ms, {result['missing']} missing"
            + (f", {result['connect_retries']} connection attempts retried" if result["connect_retries"] else "")
            + (f", connection failures: {result['failure_examples']}" if result["connection_failures"] else "")
        )
        results.append(result)
    return {"configs": results, "repeats": REPEATS}


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    setup_command = commands.add_parser("setup")
    setup_command.add_argument("--db", required=True)
    setup_command.add_argument("--readers", type=int, required=True)
    setup_command.add_argument("--posters", type=int, required=True)
    setup_command.add_argument("--out", required=True)
    clients_command = commands.add_parser("clients")
    clients_command.add_argument("--urls", required=True)
    clients_command.add_argument("--cookies", required=True)
    clients_command.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "setup":
        create_people(args.db, args.readers, args.posters, args.out)
    else:
        urls = args.urls.split(",")
        origin = "http://" + urllib.parse.urlparse(urls[0]).netloc
        asyncio.run(hold_connections(urls, origin, json.loads(Path(args.cookies).read_text()), args.out))


if __name__ == "__main__":
    main()
