"""Delivery over a server that announces PIPELINING (RFC 2920): one write per message, exact outcomes per
recipient, nothing sent twice when the server breaks off; and the same results one command at a time
from a server that does not announce it."""

import random

import pytest

from newsletter.delivery import lifecycle, worker
from newsletter.models import Delivery, Send, Subscriber
from newsletter.services import create_send

from .conftest import bodies_of, expected_bodies

pytestmark = pytest.mark.both_databases


def addresses(count, seed):
    rng = random.Random(seed)
    return [f"leserin{number:03d}.{rng.randrange(10_000)}@example.org" for number in range(count)]


def received_by(sink):
    copies = {}
    for entry in sink.messages:
        (recipient,) = entry.rcpt_tos
        copies.setdefault(recipient.lower(), []).append(entry)
    return copies


def test_every_recipient_gets_exactly_one_message_over_pipelined_connections(
    settings, smtp_sink_pipelining, make_edition, subscribe, links_made_in_one_second
):
    settings.NEWSLETTER_BATCH_SIZE = 25
    people = addresses(60, seed=1)
    for address in people:
        subscribe(address)
    # A line that starts with a dot must arrive as written (RFC 5321 4.5.2), not end the message.
    body = [("paragraph", "<p>Hallo</p>"), ("paragraph", "<p>.</p>"), ("paragraph", "<p>.punkt am Anfang</p>")]
    send, _started = lifecycle.start_send(create_send(make_edition(body=body)), enqueue=False)

    worker.run_worker()

    copies = received_by(smtp_sink_pipelining)
    assert sorted(copies) == sorted(people)
    assert all(len(entries) == 1 for entries in copies.values())
    # The RCPT and the DATA were on their way with every MAIL: the client did not wait for MAIL's answer.
    assert len(smtp_sink_pipelining.sent_with_mail) == 60
    assert all(b"RCPT TO:" in sent and b"DATA\r\n" in sent for sent in smtp_sink_pipelining.sent_with_mail)
    # One connection per batch of 25, not one per message.
    assert smtp_sink_pipelining.sessions == 3
    # What arrived is the recipient's own message, with the Message-ID the ledger keeps.
    for row in Delivery.objects.filter(send=send):
        (entry,) = copies[row.email]
        assert entry.message["Message-ID"] == row.message_id
        text, html = bodies_of(entry.message)
        expected_text, expected_html = expected_bodies(send, row)
        assert "\n.punkt am Anfang" in text and text.rstrip("\n") == expected_text.rstrip("\n")
        # The 8bit form breaks long HTML lines between tags.
        assert html.replace("\n", "") == expected_html.replace("\n", "")
        assert entry.mail_options == ["BODY=8BITMIME"]
    send.refresh_from_db()
    assert send.status == Send.Status.DONE and send.sent_count == 60


def test_a_refused_recipient_inside_a_pipelined_batch_fails_alone(smtp_sink_pipelining, make_edition, subscribe):
    people = addresses(12, seed=2)
    for address in people:
        subscribe(address)
    gone, greylisted = people[3], people[7]
    smtp_sink_pipelining.rcpt_answers[gone] = ["550 5.1.1 No such user here"]
    smtp_sink_pipelining.rcpt_answers[greylisted] = ["451 4.7.1 Greylisted, try again later"]
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)

    worker.run_worker(once=True)
    # The refusals did not end the batch: the ten others arrived over the one connection.
    copies = received_by(smtp_sink_pipelining)
    assert sorted(copies) == sorted(set(people) - {gone, greylisted})
    assert smtp_sink_pipelining.sessions == 1
    failed = Delivery.objects.get(send=send, email=gone)
    assert failed.status == Delivery.Status.FAILED and failed.last_error == "550 5.1.1 No such user here"
    assert Subscriber.objects.get(email=gone).status == Subscriber.Status.BOUNCED
    waiting = Delivery.objects.get(send=send, email=greylisted)
    assert waiting.status == Delivery.Status.QUEUED and "451 4.7.1 Greylisted" in waiting.last_error

    worker.run_worker()
    copies = received_by(smtp_sink_pipelining)
    assert sorted(copies) == sorted(set(people) - {gone})
    assert all(len(entries) == 1 for entries in copies.values())
    send.refresh_from_db()
    assert send.status == Send.Status.DONE and (send.sent_count, send.failed_count) == (11, 1)


def test_a_421_in_the_middle_of_a_pipelined_batch_leaves_the_rest_queued_and_sends_nothing_twice(
    settings, smtp_sink_pipelining, make_edition, subscribe
):
    settings.NEWSLETTER_RETRY_DELAYS = (3600,)
    people = addresses(10, seed=3)
    for address in people:
        subscribe(address)
    smtp_sink_pipelining.break_off_after = 4
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)

    worker.run_worker(wait=False)

    rows = {row.email: row for row in Delivery.objects.filter(send=send).order_by("id")}
    ordered = list(rows)
    assert [rows[address].status for address in ordered[:4]] == [Delivery.Status.SENT] * 4
    # The fifth was refused with the 421 (tried once); the rest never left: queued, untried.
    fifth = rows[ordered[4]]
    assert fifth.status == Delivery.Status.QUEUED and fifth.attempts == 1 and "421" in fifth.last_error
    assert all(rows[address].status == Delivery.Status.QUEUED for address in ordered[5:])
    assert all(rows[address].attempts == 0 for address in ordered[5:])
    assert len(smtp_sink_pipelining.messages) == 4

    Delivery.objects.filter(send=send).update(next_attempt_at=None)
    worker.run_worker()
    copies = received_by(smtp_sink_pipelining)
    assert sorted(copies) == sorted(people)
    assert all(len(entries) == 1 for entries in copies.values())
    send.refresh_from_db()
    assert send.status == Send.Status.DONE and send.sent_count == 10


def test_without_pipelining_the_client_waits_for_each_answer_and_the_results_are_the_same(
    smtp_sink_observing, make_edition, subscribe
):
    people = addresses(8, seed=4)
    for address in people:
        subscribe(address)
    smtp_sink_observing.rcpt_answers[people[2]] = ["550 5.1.1 No such user here"]
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)

    worker.run_worker()

    assert smtp_sink_observing.sent_with_mail and all(sent == b"" for sent in smtp_sink_observing.sent_with_mail)
    copies = received_by(smtp_sink_observing)
    assert sorted(copies) == sorted(set(people) - {people[2]})
    assert all(len(entries) == 1 for entries in copies.values())
    assert smtp_sink_observing.sessions == 1
    assert copies[people[0]][0].message["To"] == people[0]
    send.refresh_from_db()
    assert send.status == Send.Status.DONE and (send.sent_count, send.failed_count) == (7, 1)
