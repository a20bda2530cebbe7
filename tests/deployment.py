"""A deployment on loopback for the scale-out and fault tests: real processes, real clients.

Daphne serves `config.asgi:application` and the workers run `manage.py` commands, all with the
production settings, against the test session's PostgreSQL database and a Redis server. The test
talks to them as a user would: over HTTP (logging in through the form) and over WebSockets,
speaking the protocol of `forum/static/forum/live.js` (resume from the last post id, reconnect
with back-off unless the server closed for good).
"""

import asyncio
import http.client
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.db import connection

from .servers import free_port, wait_for_pong

ROOT = Path(__file__).resolve().parent.parent
DAPHNE = Path(sys.executable).with_name("daphne")
# Close codes after which live.js gives up (forum/consumers.py).
FINAL_CLOSE_CODES = {4401, 4403, 4404}


def database_url():
    """The test database, which the server processes share with the test."""
    database = connection.settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def production_environment(*, redis_url=None, smtp_port=None, **extra):
    # Not what the test process was given: its database, its Redis, the browser fixture's async waiver.
    left_out = {"REDIS_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        # The test's own key: sessions made by either side stay valid on the other.
        SECRET_KEY=settings.SECRET_KEY,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url(),
        SITE_URL="http://127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # A short gathering window, so a notification mail arrives within a test's wait: the
        # scheduled task, its claim and the one mail per topic still run as in production.
        FORUM_MAIL_BATCH_SECONDS="2",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    if smtp_port:
        env.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port), EMAIL_TIMEOUT="20", EMAIL_USE_TLS="false")
    env.update({key: str(value) for key, value in extra.items()})
    return env


def give_production_password(user, password="geheim-passwort-123"):
    """The tests hash with MD5 for speed; the servers only accept the production hashers."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save(update_fields=["password"])
    return user


def make_edition(recipients):
    """An edition of a newsletter with `recipients` confirmed subscribers (empfaenger0000@…, …)."""
    from wagtail.models import Page

    from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition, Subscriber, Subscription

    newsletter = Newsletter.objects.create(
        name="Sozialraum aktuell",
        slug="sozialraum-aktuell",
        sender_name="Koordination",
        sender_email="sozialraum@example.org",
    )
    archive = Page.get_first_root_node().add_child(instance=NewsletterArchivePage(title="Archiv", slug="archiv"))
    edition = archive.add_child(
        instance=NewsletterEdition(
            title="Juli", slug="juli", newsletter=newsletter, subject="Sozialraum aktuell – Juli",
            body=[("paragraph", "<p>Neues aus den Fokusgruppen.</p>")],
        )
    )  # fmt: skip
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"empfaenger{number:04d}@example.org") for number in range(recipients)]
    )
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, newsletter=newsletter, status=Subscription.Status.CONFIRMED) for s in subscribers]
    )
    return edition


class Processes:
    """Child processes with a log file each; all stopped at the end, logs shown when asked."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.children = []

    def start(self, name, command, env):
        log = open(self.folder / f"{name}.log", "w")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        process.name, process.log = name, log
        self.children.append(process)
        return process

    def daphne(self, name, env):
        port = free_port()
        process = self.start(name, [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"], env)
        process.port = port
        return process

    def manage(self, name, env, *args):
        return self.start(name, [sys.executable, "manage.py", *args], env)

    def wait_for_http(self, *servers, timeout=60):
        deadline = time.monotonic() + timeout
        for server in servers:
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"{server.name} exited:\n{self.log_of(server)}")
                try:
                    probe = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
                    probe.request("GET", "/konto/login/")
                    probe.getresponse().read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{server.name} did not answer:\n{self.log_of(server)}") from None
                    time.sleep(0.1)

    def log_of(self, process):
        if not process.log.closed:
            process.log.flush()
        return (self.folder / f"{process.name}.log").read_text(errors="replace")[-4000:]

    def logs(self):
        return "\n".join(f"--- {child.name} ---\n{self.log_of(child)}" for child in self.children)

    def stop(self, *children):
        """The given children, or all of them."""
        children = children or self.children
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            child.log.close()


class RedisServer:
    """A redis-server of the test's own, so that it can be stopped and started again on its port."""

    def __init__(self, folder):
        self.binary = shutil.which("redis-server")
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_pong(self.port, self.process)

    def kill(self):
        """Gone at once, with everything it held (groups, reader sets, cache): a crash, not a shutdown."""
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.kill()


def form_errors(html):
    """What a refused form says, without the page around it."""
    return (
        re.findall(r'(?s)<(?:ul|div|p)[^>]*class="[^"]*(?:error|alert)[^"]*"[^>]*>(.*?)</(?:ul|div|p)>', html)
        or html[-3000:]
    )


class WebSession:
    """A person's browser over plain HTTP: cookies, the CSRF token, the login form."""

    def __init__(self, port):
        self.port = port
        self.cookies = {"csrftoken": secrets.token_hex(16)}

    def request(self, method, path, fields=None):
        # As nginx passes it on: the site is HTTPS-only, and the CSRF check compares the origin.
        headers = {
            "Cookie": self.cookie_header,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://127.0.0.1:{self.port}",
        }
        body = None
        if fields is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        client.request(method, path, body, headers)
        response = client.getresponse()
        response.body = response.read().decode(errors="replace")
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value.strip().strip('"')
        client.close()
        return response

    def log_in(self, email, password="geheim-passwort-123"):
        response = self.request("POST", "/konto/login/", {"login": email, "password": password})
        assert response.status == 302, f"login of {email} failed: {response.status} {form_errors(response.body)}"
        return self

    def reply(self, topic_id, text):
        """Post a reply through the form; returns the new post's id."""
        response = self.request("POST", f"/forum/thema/{topic_id}/antworten/", {"text": text})
        location = response.getheader("Location", "")
        assert response.status == 302 and "/beitrag/" in location, (
            f"reply refused: {response.status} {form_errors(response.body)}"
        )
        return int(location.rstrip("/").rsplit("/", 1)[1])

    @property
    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


class LiveReader:
    """One open topic page, as live.js keeps it: every post it has seen, and how it got there.

    Runs its own event loop in a thread. After a dropped connection it reconnects with back-off
    (shorter than the browser's, to keep the tests quick) and asks for the posts after the last
    one it has, like the page does.
    """

    def __init__(self, port, topic_id, cookie_header, last_post_id=0):
        self.url = f"ws://127.0.0.1:{port}/ws/forum/thema/{topic_id}/"
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie_header = cookie_header
        self.seen = {}  # post id -> "created" (live) or "resume" (caught up)
        self.last_post_id = last_post_id
        self.connections = 0
        self.drops = []
        self.final_code = None
        self.resumed = False
        self.changed = threading.Condition()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self._run(),), daemon=True)
        self.task = None

    def start(self):
        self.thread.start()
        self.wait(lambda: self.connections >= 1 and self.resumed, timeout=30, what="the first connection")
        return self

    def stop(self):
        if self.task is not None:
            self.loop.call_soon_threadsafe(self.task.cancel)
        self.thread.join(timeout=10)

    def wait(self, condition, *, timeout, what):
        with self.changed:
            if not self.changed.wait_for(condition, timeout=timeout):
                raise AssertionError(
                    f"reader: no {what} within {timeout} s (seen {sorted(self.seen)}, drops {self.drops})"
                )

    def wait_for_posts(self, post_ids, timeout=30):
        self.wait(lambda: set(post_ids) <= set(self.seen), timeout=timeout, what=f"posts {sorted(post_ids)}")

    async def _run(self):
        self.task = asyncio.current_task()
        import websockets.asyncio.client
        import websockets.exceptions

        attempts = 0
        while True:
            code = None
            try:
                async with websockets.asyncio.client.connect(
                    self.url, origin=self.origin, additional_headers={"Cookie": self.cookie_header}, open_timeout=10
                ) as socket:
                    with self.changed:
                        self.connections += 1
                        self.resumed = False
                    attempts = 0
                    await socket.send(json.dumps({"type": "resume", "last_post_id": self.last_post_id}))
                    async for frame in socket:
                        self._take(json.loads(frame))
                    code = socket.close_code
                    self.drops.append(f"closed {code}")
            except asyncio.CancelledError:
                return
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as error:
                self.drops.append(f"{type(error).__name__}: {error}")
            if code in FINAL_CLOSE_CODES:
                with self.changed:
                    self.final_code = code
                    self.changed.notify_all()
                return
            await asyncio.sleep(min(2.0, 0.1 * 2**attempts))
            attempts += 1

    def _take(self, message):
        if message.get("type") != "posts" or message.get("event") == "edited":
            return
        with self.changed:
            for post in message["posts"]:
                self.seen.setdefault(post["id"], message["event"])
                self.last_post_id = max(self.last_post_id, post["id"])
            if message["event"] == "resume":
                self.resumed = True
            self.changed.notify_all()
