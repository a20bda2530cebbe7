"""Scale-out on loopback: two Daphne processes and two task workers on PostgreSQL and Redis.

A professional posts through server A and a reader connected to server B sees the post arrive
live, and the notification mail the task workers send goes out once; the two task workers send
one newsletter together, and every recipient gets it exactly once (so do two dedicated newsletter
senders). Everything runs as separate processes with the production settings (tests/deployment.py).
"""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from forum import services as forum_services
from forum.models import Board
from newsletter.delivery.lifecycle import start_send
from newsletter.models import Delivery, Send
from newsletter.services import create_send
from tests.smtp import SinkHandler, start_sink

from ..deployment import (
    LiveReader,
    Processes,
    WebSession,
    give_production_password,
    make_edition,
    production_environment,
)


@dataclass
class Deployment:
    servers: list
    workers: list
    sink: SinkHandler
    processes: Processes
    env: dict

    def mails_to(self, address):
        return [entry for entry in self.sink.messages if address in entry.rcpt_tos]

    def forget_mails(self):
        """Each test's database is new, so its ids (Message-IDs included) may repeat an earlier test's."""
        self.sink.messages.clear()
        self.sink.peers.clear()


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.deployment,
    pytest.mark.django_db(transaction=True),
]

RECIPIENTS = 240
WORKERS = 2
NEWSLETTER_RECIPIENT = "empfaenger"  # make_edition's addresses


class SinkForTwoSenders(SinkHandler):
    """Holds every newsletter message until a second SMTP connection has brought one.

    The first worker to claim a batch waits at its first message until the other worker has
    claimed one of its own and connected: both then certainly send part of the list, however
    the two processes happen to be scheduled. Gives up waiting after GATE_TIMEOUT seconds, and
    the test then fails on its own assertion.
    """

    GATE_TIMEOUT = 15

    def __init__(self, delay=0.0):
        super().__init__(delay)
        self.peers = set()

    async def handle_DATA(self, server, session, envelope):
        if not all(address.startswith(NEWSLETTER_RECIPIENT) for address in envelope.rcpt_tos):
            return await super().handle_DATA(server, session, envelope)
        self.peers.add(session.peer)
        deadline = time.monotonic() + self.GATE_TIMEOUT
        while len(self.peers) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    sink, controller = start_sink(handler_class=SinkForTwoSenders)
    processes = Processes(tmp_path_factory.mktemp("deployment"))
    env = production_environment(
        redis_url=redis_url,
        smtp_port=controller.port,
        NEWSLETTER_RATE_LIMIT=0,
        NEWSLETTER_BATCH_SIZE=20,
        NEWSLETTER_POLL_INTERVAL=1,
    )
    try:
        servers = [processes.daphne(name, env) for name in ("web-a", "web-b")]
        workers = [
            processes.manage(f"task-worker-{n}", env, "db_worker", "--interval", "0.2", "--no-startup-delay")
            for n in range(WORKERS)
        ]
        processes.wait_for_http(*servers)
        yield Deployment(servers, workers, sink, processes, env)
    finally:
        processes.stop()
        controller.stop()
        # Shown by pytest only when a test of this module failed.
        print(processes.logs())


@pytest.fixture
def topic(make_user):
    author = make_user("moderation@example.org", display_name="Mona Moderation")
    board = Board.objects.create(name="Austausch", slug="austausch", kind=Board.Kind.GENERAL)
    return forum_services.create_topic(author, board, "Ferienangebote 2026", "Wer plant schon für den Sommer?")


def test_a_post_written_through_one_server_reaches_a_reader_on_the_other_live(deployment, topic, make_user):
    server_a, server_b = deployment.servers
    writer = make_user(
        "fachkraft@example.org", display_name="Fatma Fachkraft", date_joined=timezone.now() - timedelta(days=60)
    )
    viewer = make_user("leser@example.org", display_name="Lea Leserin")
    for person in (writer, viewer):
        give_production_password(person)
    writer = WebSession(server_a.port).log_in("fachkraft@example.org")
    viewer = WebSession(server_b.port).log_in("leser@example.org")
    first_post_id = topic.posts.get().pk
    reader = LiveReader(server_b.port, topic.pk, viewer.cookie_header, last_post_id=first_post_id).start()
    try:
        post_id = writer.reply(topic.pk, "Die Kita am Markt bietet im Juli eine Ferienwoche an.")

        reader.wait_for_posts([post_id])
        # Pushed to the open page by the other server, not fetched by a reconnect.
        assert reader.seen[post_id] == "created", deployment.processes.logs()
        assert reader.connections == 1 and reader.drops == []
    finally:
        reader.stop()
    page = viewer.request("GET", f"/forum/thema/{topic.pk}/")
    assert "Ferienwoche" in page.body

    # The topic's author hears of the reply by mail: a task that either worker may run, sent once.
    deadline = time.monotonic() + 30
    while not deployment.mails_to("moderation@example.org"):
        assert time.monotonic() < deadline, f"no notification mail\n{deployment.processes.logs()}"
        time.sleep(0.1)
    time.sleep(1)  # a second copy would have arrived by now
    (notification,) = deployment.mails_to("moderation@example.org")
    assert (
        "Fatma Fachkraft" in notification.message["Subject"] + notification.message.get_body(("plain",)).get_content()
    )


@pytest.fixture
def two_newsletter_senders(deployment):
    senders = [
        deployment.processes.manage(f"sender-{n}", deployment.env, "deliver_newsletters", "--forever")
        for n in range(WORKERS)
    ]
    yield senders
    deployment.processes.stop(*senders)


def test_the_two_task_workers_send_the_newsletter_together_and_each_recipient_once(deployment, settings):
    # The test process enqueues into the database queue the task workers read, as a web process does.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deployment.forget_mails()
    send, started = start_send(create_send(make_edition(RECIPIENTS)))
    assert started

    assert_sent_once_by(deployment, send, deployment.workers)


def test_two_newsletter_senders_send_the_newsletter_together_and_each_recipient_once(
    deployment, two_newsletter_senders
):
    deployment.forget_mails()
    send, _started = start_send(create_send(make_edition(RECIPIENTS)), enqueue=False)

    assert_sent_once_by(deployment, send, two_newsletter_senders)


def assert_sent_once_by(deployment, send, workers):
    deadline = time.monotonic() + 90
    while Send.objects.get(pk=send.pk).status != Send.Status.DONE:
        assert time.monotonic() < deadline, f"send not done\n{deployment.processes.logs()}"
        assert all(worker.poll() is None for worker in workers), deployment.processes.logs()
        time.sleep(0.2)

    received = Counter(recipient for entry in deployment.sink.messages for recipient in entry.rcpt_tos)
    expected = {f"{NEWSLETTER_RECIPIENT}{number:04d}@example.org" for number in range(RECIPIENTS)}
    assert set(received) == expected
    assert set(received.values()) == {1}, [address for address, count in received.items() if count > 1]
    ledger = Delivery.objects.filter(send=send)
    assert ledger.filter(status=Delivery.Status.SENT).count() == RECIPIENTS
    # The worker name is host:pid:random; both processes have sent part of the list.
    senders = {int(name.split(":")[1]) for name in ledger.values_list("claimed_by", flat=True).distinct()}
    assert senders == {worker.pid for worker in workers}
    assert Send.objects.get(pk=send.pk).sent_count == RECIPIENTS
