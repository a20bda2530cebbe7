"""The worker loop: claim a batch, send it over one SMTP connection (pipelined where the server offers it,
`core.smtp.send_stream`), record each message as its answer comes in; and the
task (`deliver_send`) that runs the loop in a task worker. Several workers may run at once."""

import logging
import os
import socket
import time
import uuid
from datetime import timedelta

from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.smtp import send_stream
from core.smtp_pipelining import StreamInterrupted

from .. import services
from ..models import Delivery, Send
from . import ledger, messages, smtp_errors
from .options import claim_timeout, message_ids, retry_delay, setting

logger = logging.getLogger(__name__)


def _register_error(send, error):
    """Count an error that may concern the whole send; pause it once too many came in a row."""
    Send.objects.filter(pk=send.pk).update(consecutive_errors=F("consecutive_errors") + 1)
    errors = Send.objects.values_list("consecutive_errors", flat=True).get(pk=send.pk)
    if errors >= setting("MAX_CONSECUTIVE_ERRORS", 10):
        reason = _("Angehalten nach %(count)s Fehlern in Folge. Letzter Fehler: %(error)s") % {
            "count": errors,
            "error": str(error),
        }
        if ledger.pause(send, reason):
            logger.error("Newsletter send %s paused: %s", send.pk, reason)
    return errors


def _reset_errors(send):
    Send.objects.filter(pk=send.pk, consecutive_errors__gt=0).update(consecutive_errors=0)


def _send_state(send):
    """(status, consecutive errors) as the database has them now, whoever changed them."""
    return Send.objects.values_list("status", "consecutive_errors").get(pk=send.pk)


def process_batch(worker_name, *, send_id=None, batch_size=None):
    """Claim one batch and send it over one SMTP connection (pipelined where the server offers it).
    Returns the number of rows claimed."""
    ledger.recover_abandoned_claims()
    send, rows = ledger.claim_batch(worker_name, send_id=send_id, batch_size=batch_size)
    if not rows:
        return 0
    claimed = len(rows)
    newsletter = send.edition.newsletter
    rows = ledger.skip_suppressed(newsletter, rows, worker_name)
    rate = send.rate_limit if send.rate_limit is not None else setting("RATE_LIMIT", 10)
    interval = 1 / rate if rate else 0
    heartbeat_every = claim_timeout() / 3
    # A pause or cancel is honoured within this many seconds; reading the status per message cost a query each.
    check_every = setting("STATUS_CHECK_INTERVAL", 1)
    state = {"errors_to_reset": send.consecutive_errors > 0, "settled": 0, "failed": 0}
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - what a backend raises on connect is backend-specific
        problem = smtp_errors.classify(error)
        errors = _register_error(send, problem)
        ledger.release(rows, worker_name, delay=retry_delay(errors))
        ledger.finish_if_done(send.pk)
        return claimed
    make = messages.maker_for(send)
    ids = message_ids(send.pk)

    def due_messages():
        """The batch's messages, made one at a time; stops early when the send is paused or cancelled."""
        last_heartbeat = last_sent = last_check = time.monotonic()
        for row in rows:
            now = time.monotonic()
            if now - last_heartbeat >= heartbeat_every:
                Delivery.objects.filter(claimed_by=worker_name, status=Delivery.Status.SENDING).update(
                    claimed_at=timezone.now()
                )
                last_heartbeat = now
            if now - last_check >= check_every:
                status, errors = _send_state(send)
                if status != Send.Status.RUNNING:
                    return
                state["errors_to_reset"] = state["errors_to_reset"] or errors > 0
                last_check = now
            if interval and now - last_sent < interval:
                time.sleep(interval - (now - last_sent))
            last_sent = time.monotonic()
            yield row, make(row)

    def settle(row, outcome):
        """Record what the server said about one message; runs before the next message can arrive."""
        state["settled"] += 1
        if outcome.accepted:
            ledger.until_recorded(ledger.mark_sent, row, worker_name, ids(row.pk))
            if state["errors_to_reset"]:
                _reset_errors(send)
                state["errors_to_reset"] = False
            return
        problem = smtp_errors.classify(outcome.error)
        if isinstance(problem, smtp_errors.Permanent):
            state["failed"] += ledger.until_recorded(ledger.mark_failed, row, worker_name, problem)
            if problem.hard_bounce:
                services.record_hard_bounce(row.email, str(problem))
            return
        state["failed"] += ledger.until_recorded(ledger.mark_retry, row, worker_name, problem)
        _register_error(send, problem)
        state["errors_to_reset"] = True

    delay = 0
    try:
        send_stream(connection, due_messages(), settle)
    except StreamInterrupted as interrupted:
        problem = smtp_errors.classify(interrupted.error)
        if interrupted.in_flight is not None:
            # It may have arrived: sent again later with the same Message-ID (the window in ledger.py).
            state["settled"] += 1
            state["failed"] += ledger.until_recorded(ledger.mark_retry, interrupted.in_flight, worker_name, problem)
        delay = retry_delay(_register_error(send, problem))
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - the messages are recorded; a failing QUIT changes nothing
            logger.info("Closing the SMTP connection failed.", exc_info=True)
    sent = ledger.confirm_sent(rows, worker_name)
    if state["settled"] < len(rows):
        # Never handed to the server (a pause, a cancel, a closed connection): back to the queue.
        ledger.release(rows, worker_name, delay=delay)
    ledger.finish_if_done(send.pk, sent, state["failed"])
    return claimed


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def seconds_until_work(send_id=None):
    """None when no running send has open rows; else how long until a retry or a stale claim is due."""
    now = timezone.now()
    rows = Delivery.objects.filter(send__status=Send.Status.RUNNING)
    if send_id is not None:
        rows = rows.filter(send_id=send_id)
    waits = rows.aggregate(
        retry=Min("next_attempt_at", filter=Q(status=Delivery.Status.QUEUED)),
        claim=Min("claimed_at", filter=Q(status=Delivery.Status.SENDING)),
        ready=Min("id", filter=Q(status=Delivery.Status.QUEUED, next_attempt_at__isnull=True)),
    )
    if waits["ready"] is not None:
        return 0
    candidates = []
    if waits["retry"] is not None:
        candidates.append((waits["retry"] - now).total_seconds())
    if waits["claim"] is not None:
        candidates.append((waits["claim"] + timedelta(seconds=claim_timeout()) - now).total_seconds())
    return max(min(candidates), 0) if candidates else None


def _reconnect(name, max_delay=5):
    """Wait for the database, then give back the rows this worker still holds.

    Every message handed to the server was recorded first (`ledger.until_recorded`), so the rows still
    claimed and not recorded were never sent: they need not wait for the claim timeout (the recorded
    ones become sent).
    """
    delay = 0.1
    while True:
        db_connection.close()
        try:
            released = ledger.release_claims_of(name)
        except ledger.DATABASE_LOST:
            time.sleep(delay)
            delay = min(delay * 2, max_delay)
            continue
        if released:
            logger.warning("Newsletter worker %s re-queued %s unsent deliveries after reconnecting.", name, released)
        return


def run_worker(*, send_id=None, once=False, name=None, wait=True, forever=False):
    """Send until no running send has work left (or one batch with `once`). Several may run at once.

    With `wait`, the worker also stays for deferred retries and for rows other workers still hold,
    so that it only ends when the work is really done; with `forever` it never ends and starts
    planned sends when they are due. Returns the number of rows claimed.
    """
    name = name or worker_name()
    total = 0
    poll = setting("POLL_INTERVAL", 5)
    while True:
        try:
            if send_id is None:
                # This worker sends them itself; a task per send would only compete with it.
                ledger.freeze_due()
            claimed = process_batch(name, send_id=send_id)
            total += claimed
            if once:
                return total
            if claimed:
                continue
            delay = seconds_until_work(send_id)
        except ledger.DATABASE_LOST:
            logger.warning("Newsletter worker %s lost its database connection; reconnecting.", name, exc_info=True)
            _reconnect(name)
            continue
        if forever:
            time.sleep(poll if delay is None else min(max(delay, 0.05), poll))
            continue
        if delay is None or not wait:
            return total
        time.sleep(min(max(delay, 0.05), poll))


@task()
def deliver_send(send_id):
    """Send what is due now; come back later for deferred retries instead of holding a worker slot."""
    run_worker(send_id=send_id, wait=False)
    delay = seconds_until_work(send_id)
    if delay is None:
        return
    if deliver_send.get_backend().supports_defer:
        deliver_send.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(send_id)
    else:
        run_worker(send_id=send_id)
