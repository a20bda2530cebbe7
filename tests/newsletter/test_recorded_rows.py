"""A message the server accepted is recorded at once (`ledger.mark_sent`: its `sent_at`), and its row's status
moves with its batch's (`ledger.confirm_sent`). A worker that dies or loses its database between the two
must leave the recorded rows sent: given back to the queue they would go out twice."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from newsletter.delivery import ledger, lifecycle, options, worker
from newsletter.models import Delivery, Send
from newsletter.services import create_send

pytestmark = pytest.mark.both_databases


@pytest.fixture
def half_recorded_batch(make_edition, subscribe):
    """A batch claimed by a worker that recorded a random half of its messages and then died."""
    rng = random.Random(16)
    for number in range(8):
        subscribe(f"leserin{number}@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    _send, rows = ledger.claim_batch("dead-worker")
    recorded = rng.sample(rows, 4)
    for row in recorded:
        ledger.mark_sent(row, "dead-worker", options.message_id(send.pk, row.pk))
    return send, {row.email for row in recorded}


def test_recorded_rows_of_an_abandoned_batch_are_sent_and_only_the_others_go_out(
    settings, half_recorded_batch, mailoutbox
):
    send, recorded = half_recorded_batch
    settings.NEWSLETTER_CLAIM_TIMEOUT = 60
    Delivery.objects.filter(send=send).update(claimed_at=timezone.now() - timedelta(seconds=61))

    worker.run_worker()

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        {f"leserin{number}@example.org" for number in range(8)} - recorded
    )
    rows = Delivery.objects.filter(send=send)
    assert {row.status for row in rows} == {Delivery.Status.SENT}
    assert all(row.attempts == 1 and row.message_id == options.message_id(send.pk, row.pk) for row in rows)
    send.refresh_from_db()
    assert (send.status, send.sent_count) == (Send.Status.DONE, 8)


def test_a_worker_that_lost_its_database_gives_back_only_the_unrecorded_rows(half_recorded_batch):
    send, recorded = half_recorded_batch
    assert ledger.release_claims_of("dead-worker") == 4
    statuses = dict(Delivery.objects.filter(send=send).values_list("email", "status"))
    assert {email for email, status in statuses.items() if status == Delivery.Status.SENT} == recorded
    assert {email for email, status in statuses.items() if status == Delivery.Status.QUEUED} == (
        set(statuses) - recorded
    )


def test_a_recorded_row_is_never_released_as_unsent(half_recorded_batch):
    send, recorded = half_recorded_batch
    rows = [ledger.Claimed(row.pk, row.email, row.name, row.attempts) for row in Delivery.objects.filter(send=send)]
    ledger.release(rows, "dead-worker")
    claimed = set(Delivery.objects.filter(send=send, status=Delivery.Status.SENDING).values_list("email", flat=True))
    assert claimed == recorded


def test_recording_on_sqlite_leaves_the_connections_busy_timeout_as_it_was(half_recorded_batch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's busy handler")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (timeout,) = cursor.fetchone()
    assert timeout == int(connection.settings_dict["OPTIONS"].get("timeout", 5) * 1000)
