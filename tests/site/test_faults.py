"""Faults in a running deployment: Redis restarted under open pages, the database connection of a
newsletter worker cut in the middle of a send. Nothing a user wrote or was promised is lost.

Real processes with the production settings, as in tests/site/test_deployment.py.
"""

import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.contrib.staticfiles import finders
from django.db import connection
from django.utils import timezone

from forum import services as forum_services
from forum.models import Board, Post
from newsletter.delivery.lifecycle import start_send
from newsletter.models import Delivery, Send
from newsletter.services import create_send
from tests.smtp import start_sink

from ..deployment import (
    LiveReader,
    Processes,
    RedisServer,
    WebSession,
    give_production_password,
    make_edition,
    production_environment,
)
from ..servers import NO_REDIS, in_ci

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    if server.binary is None:
        if in_ci():
            pytest.fail(f"{NO_REDIS} (CI=true: Redis tests must not be skipped)", pytrace=False)
        pytest.skip(NO_REDIS)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def processes(tmp_path):
    processes = Processes(tmp_path)
    yield processes
    processes.stop()
    # Shown by pytest only when the test failed.
    print(processes.logs())


@pytest.fixture
def people(make_user):
    joined = timezone.now() - timedelta(days=60)
    writer = give_production_password(
        make_user("fachkraft@example.org", display_name="Fatma Fachkraft", date_joined=joined)
    )
    readers = [
        give_production_password(make_user(f"leser{n}@example.org", display_name=f"Leser {n}")) for n in range(2)
    ]
    board = Board.objects.create(name="Austausch", slug="austausch", kind=Board.Kind.GENERAL)
    topic = forum_services.create_topic(writer, board, "Ferienangebote 2026", "Wer plant schon für den Sommer?")
    return writer, readers, topic


def serve_static(route):
    path = finders.find(route.request.url.split("/static/", 1)[1].split("?", 1)[0])
    if path is None:
        route.fulfill(status=404)
    else:
        route.fulfill(path=path)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.browser
@pytest.mark.deployment
def test_open_pages_get_every_post_when_redis_restarts(redis_server, processes, people, chromium, artifacts):
    writer, (reader, browser_reader), topic = people
    env = production_environment(redis_url=redis_server.url)
    server_a, server_b = processes.daphne("web-a", env), processes.daphne("web-b", env)
    processes.wait_for_http(server_a, server_b)
    author = WebSession(server_a.port).log_in(writer.email)
    first = topic.posts.get().pk
    # The writer posts through A. Reading: a protocol client on each server, and Chromium running
    # live.js on B.
    clients = [
        LiveReader(server.port, topic.pk, WebSession(server.port).log_in(reader.email).cookie_header, first).start()
        for server in (server_a, server_b)
    ]
    base_url = f"http://127.0.0.1:{server_b.port}"
    # As nginx would say it: the site is HTTPS-only and would otherwise redirect.
    context = chromium.new_context(locale="de-DE", extra_http_headers={"X-Forwarded-Proto": "https"})
    session = WebSession(server_b.port).log_in(browser_reader.email).cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
    # nginx serves the static files in production; Daphne does not.
    context.route(f"{base_url}/static/**", serve_static)
    page = context.new_page()
    page.goto(f"{base_url}/forum/thema/{topic.pk}/")

    def shown(post_ids):
        for post_id in post_ids:
            page.locator(f"[data-post-id='{post_id}']").wait_for(timeout=45_000)

    try:
        # The reader count arrives once the page's socket has joined the topic.
        page.get_by_text(re.compile("(liest|lesen) dieses Thema gerade")).wait_for(timeout=30_000)
        before = author.reply(topic.pk, "Vor dem Neustart: Treffen am Montag.")
        for client in clients:
            client.wait_for_posts([before])
        shown([before])

        redis_server.kill()
        during = author.reply(topic.pk, "Während Redis fehlt: der Beitrag wird trotzdem gespeichert.")
        # An edit no open page can hear of now: the page names what it shows when it reconnects.
        # (In a thread of its own: Playwright runs an event loop in this one, which the broadcast
        # after the edit may not share.)
        with ThreadPoolExecutor(max_workers=1) as thread:
            thread.submit(
                forum_services.edit_post,
                writer,
                Post.objects.get(pk=before),
                "Vor dem Neustart: Treffen am Dienstag, nicht Montag.",
            ).result()
        # The page the reply leads to works without the cache too, only slower.
        outage_page = author.request("GET", f"/forum/thema/{topic.pk}/")
        assert outage_page.status == 200 and "Während Redis fehlt" in outage_page.body
        redis_server.start()
        after = author.reply(topic.pk, "Nach dem Neustart: alles wieder da?")

        for client in clients:
            client.wait_for_posts([before, during, after], timeout=45)
        shown([before, during, after])
        page.locator(f"[data-post-id='{before}']", has_text="Treffen am Dienstag").wait_for(timeout=10_000)
        # Live again, not only caught up: a later post is pushed to the pages that are open.
        later = author.reply(topic.pk, "Und noch einer, live.")
        for client in clients:
            client.wait_for_posts([later])
            assert client.seen[later] == "created", processes.logs()
            assert client.final_code is None
        shown([later])
        page.screenshot(path=artifacts / "redis-restart-topic.png", full_page=True)
    finally:
        for client in clients:
            client.stop()
        context.close()
    assert list(topic.posts.order_by("pk").values_list("pk", flat=True)) == [first, before, during, after, later]


@pytest.mark.redis
async def test_a_connection_that_outlived_the_loss_of_its_groups_is_sent_to_reconnect(redis_server, settings, people):
    """Redis lost its data (a restart between two reads of the connection) but the connection itself
    survived: nothing would reach it any more, so the server closes it for the page to reconnect."""
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator
    from django.test import Client

    from config.routing import websocket_urlpatterns
    from forum.consumers import CLOSE_RECONNECT
    from network.websocket import session_user_stack

    url = redis_server.url
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "config.channel_layers.ProcessRedisChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_timeout": 10}]},
        }
    }
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "OPTIONS": {"IGNORE_EXCEPTIONS": True}}
    }
    settings.FORUM_LIVE_PRESENCE_INTERVAL = 0.2
    _writer, (reader, _other), topic = people

    def session_cookie():
        browser = Client()
        browser.force_login(reader)
        return browser.cookies[settings.SESSION_COOKIE_NAME].value

    cookie = await sync_to_async(session_cookie)()
    socket = WebsocketCommunicator(
        session_user_stack(URLRouter(websocket_urlpatterns)),
        f"/ws/forum/thema/{topic.pk}/",
        headers=[(b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())],
    )
    try:
        connected, _subprotocol = await socket.connect(timeout=3)
        assert connected
        await sync_to_async(redis.Redis.from_url(redis_server.url).flushall)()

        message = await socket.receive_output(timeout=3)
        while message["type"] != "websocket.close":
            message = await socket.receive_output(timeout=3)
        assert message["code"] == CLOSE_RECONNECT
    finally:
        await socket.disconnect()
        await get_channel_layer().close_pools()


NEWSLETTER_RECIPIENTS = 300


@pytest.mark.postgres
@pytest.mark.deployment
def test_a_newsletter_send_goes_on_when_the_workers_lose_their_database_connections(processes):
    sink, controller = start_sink(delay=0.01)
    try:
        env = production_environment(
            smtp_port=controller.port,
            NEWSLETTER_RATE_LIMIT=0,
            NEWSLETTER_BATCH_SIZE=20,
            NEWSLETTER_POLL_INTERVAL=1,
            # The production default: the send must not wait for abandoned claims to time out.
            NEWSLETTER_CLAIM_TIMEOUT=600,
        )
        workers = [processes.manage(f"worker-{n}", env, "deliver_newsletters", "--forever") for n in range(2)]
        send, _started = start_send(create_send(make_edition(NEWSLETTER_RECIPIENTS)), enqueue=False)

        def wait_until(condition, what, timeout=90):
            deadline = time.monotonic() + timeout
            while not condition():
                assert time.monotonic() < deadline, f"{what}\n{processes.logs()}"
                assert all(worker.poll() is None for worker in workers), processes.logs()
                time.sleep(0.005)

        # Twice during the send: every other connection to the database is cut, as a restart would.
        for messages in (60, 180):
            wait_until(lambda count=messages: len(sink.messages) >= count, f"{messages} messages not sent")
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                assert cursor.fetchone()[0] >= len(workers)
        wait_until(lambda: Send.objects.get(pk=send.pk).status == Send.Status.DONE, "send not done")
    finally:
        controller.stop()

    received = Counter(recipient for entry in sink.messages for recipient in entry.rcpt_tos)
    assert len(received) == NEWSLETTER_RECIPIENTS
    assert set(received.values()) == {1}, [address for address, count in received.items() if count > 1]
    assert Delivery.objects.filter(send=send, status=Delivery.Status.SENT).count() == NEWSLETTER_RECIPIENTS
