"""What the batches of a send leave behind: the counters a coordinator sees, which send goes first, who is
skipped. Each batch asks about its own rows only (a large list's batches cost what a small list's do)."""

import pytest

from newsletter.delivery import lifecycle, worker
from newsletter.models import Delivery, Send
from newsletter.services import create_send, record_bounce, record_hard_bounce

from .conftest import as_received

# Claiming differs per database (SKIP LOCKED on PostgreSQL, one writer on SQLite).
pytestmark = pytest.mark.both_databases


def test_the_counters_grow_with_each_batch_and_are_counted_again_when_the_send_ends(
    settings, make_edition, subscribe, mailoutbox
):
    settings.NEWSLETTER_BATCH_SIZE = 2
    for number in range(5):
        subscribe(f"leserin{number}@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    worker.run_worker(send_id=send.pk, once=True)
    send.refresh_from_db()
    assert (send.status, send.sent_count, send.failed_count) == (Send.Status.RUNNING, 2, 0)
    # A report that a counted message bounced comes in while the send still runs.
    record_bounce("leserin0@example.org", hard=False, reason="452 4.2.2 Mailbox full")
    worker.run_worker(send_id=send.pk)
    send.refresh_from_db()
    assert len(mailoutbox) == 5
    assert (send.status, send.sent_count, send.failed_count) == (Send.Status.DONE, 4, 0)


def test_the_send_started_first_is_sent_first(settings, make_edition, subscribe, mailoutbox):
    settings.NEWSLETTER_BATCH_SIZE = 10
    subscribe("anna@example.org")
    subscribe("ben@example.org")
    first, _started = lifecycle.start_send(create_send(make_edition(subject="Erste Ausgabe")), enqueue=False)
    second, _started = lifecycle.start_send(create_send(make_edition(subject="Zweite Ausgabe")), enqueue=False)
    worker.run_worker(once=True)
    assert sorted(str(as_received(message)["Subject"]) for message in mailoutbox) == ["Erste Ausgabe"] * 2
    assert set(Delivery.objects.filter(send=second).values_list("status", flat=True)) == {Delivery.Status.QUEUED}
    worker.run_worker()
    assert [str(as_received(message)["Subject"]) for message in mailoutbox[2:]] == ["Zweite Ausgabe"] * 2
    assert Send.objects.get(pk=first.pk).status == Send.Status.DONE == Send.objects.get(pk=second.pk).status


def test_an_address_that_bounced_after_the_start_is_skipped(make_edition, subscribe, mailoutbox):
    subscribe("bleibt@example.org")
    subscribe("weg@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    record_hard_bounce("WEG@example.org", "550 5.1.1 No such user here")
    worker.run_worker()
    assert [as_received(message)["To"] for message in mailoutbox] == ["bleibt@example.org"]
    assert Delivery.objects.get(send=send, email="weg@example.org").status == Delivery.Status.SKIPPED


def test_a_batch_counts_its_refused_recipient_as_failed_and_the_greylisted_one_not_yet(
    smtp_sink_pipelining, make_edition, subscribe
):
    people = [f"leserin{number}@example.org" for number in range(8)]
    for address in people:
        subscribe(address)
    smtp_sink_pipelining.rcpt_answers[people[2]] = ["550 5.1.1 No such user here"]
    smtp_sink_pipelining.rcpt_answers[people[5]] = ["451 4.7.1 Greylisted, try again later"]
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    worker.run_worker(send_id=send.pk, once=True)
    send.refresh_from_db()
    # The counters moved by what the batch's own writes did: six accepted, one refused for good, one to retry.
    assert (send.status, send.sent_count, send.failed_count) == (Send.Status.RUNNING, 6, 1)
    worker.run_worker(send_id=send.pk)
    send.refresh_from_db()
    assert (send.status, send.sent_count, send.failed_count) == (Send.Status.DONE, 7, 1)
