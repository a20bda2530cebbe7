"""The claim ledger: one `Delivery` row per recipient, frozen when a send starts; workers claim
batches of rows and send each message once.

A row goes queued → sending (claimed, committed before any SMTP traffic) → recorded (still `sending`,
with its `sent_at`: committed right after the server accepted the message, `mark_sent`) → sent (the
batch's recorded rows in one statement, `confirm_sent`), or back to queued with a later
`next_attempt_at` after a temporary error, or failed after a permanent one.

Exactly once, and the one window left: a worker sends its claimed rows in id order over one connection
(`core.smtp.send_stream`, pipelined where the server offers it) and records each row as soon as the
server answered its end of data, before the next message's end of data goes out; at most one message is
ever in flight. Where a worker can die, and what follows:

1. While claiming (`claim_batch`): the claim is one transaction; uncommitted, nothing happened.
2. After the claim, before or while sending a message's envelope or content (its final "." not yet
   sent): the server discards an unfinished transaction, so nothing arrived; the rows stay `sending`
   until the claim is older than NEWSLETTER_CLAIM_TIMEOUT, then any worker puts them back in the queue.
3. After the "." of one message, before its answer is read or recorded: that message may have been
   accepted without the worker recording it. It is the only one: the next message's "." waits until
   this one is recorded. It is sent again after the claim timeout with the same deterministic
   Message-ID (send id + delivery id), which lets mail systems recognise the duplicate.
4. After a row was recorded (`mark_sent`, autocommit): it is done; nothing repeats it. Every path that
   gives claimed rows back turns a recorded row into `sent` instead of queueing it again (`release`,
   `release_claims_of`, `recover_abandoned_claims`), so a worker that dies before its batch's
   `confirm_sent` repeats nothing either.

So per crashed worker at most one recipient may see a message twice; nobody is ever skipped.

Why the record is one statement per message and the status one per batch: the record must be durable
before the next message's "." goes out, or window 3 would widen to every message accepted since the
last record (a killed worker would repeat up to a batch). But the record need not move the row between
the status indexes: setting `sent_at` and `message_id` changes one table page, where the status change
also rewrote three index pages; on SQLite that was 30 → 14 µs of CPU and, with the checkpoints of the
larger write-ahead log, 115 → 39 µs of wall time per message. The status of the batch's recorded rows
moves in one statement once the batch is through (`confirm_sent`); until then (a batch's time, or the
claim timeout after a crash) they count as waiting on the progress page.

Live workers refresh `claimed_at` while they work (every third of the timeout), so a slow batch is
never mistaken for an abandoned one.

A lost database connection (a restarted server) is no crash: the worker records the message in
flight once the database answers again, gives its other claimed rows back at once and carries on.
"""

import functools
import logging
import sqlite3
import time
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction
from django.db import connection as db_connection
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Delivery, Send
from ..rendering import compile_edition
from .options import claim_timeout, max_attempts, retry_delay, setting

logger = logging.getLogger(__name__)


def freeze(send):
    """Compile the edition and freeze the audience into Delivery rows, in one transaction.

    Returns (send, started). A second start (a double click, two coordinators at once) finds the
    send no longer in draft or planned and changes nothing.
    """
    with transaction.atomic():
        # On SQLite the IMMEDIATE transaction mode already serialises this; on PostgreSQL the row lock does.
        send = Send.objects.select_for_update().get(pk=send.pk)
        if send.status not in (Send.Status.DRAFT, Send.Status.SCHEDULED):
            return send, False
        compiled = compile_edition(send.edition)
        recipients = selectors.audience(send)
        _insert_deliveries(send, recipients.values())
        send.subject = compiled.subject
        send.compiled_html = compiled.html
        send.compiled_text = compiled.text
        send.status = Send.Status.RUNNING if recipients else Send.Status.DONE
        send.started_at = timezone.now()
        send.finished_at = None if recipients else send.started_at
        send.recipients_count = len(recipients)
        send.save()
        if recipients and db_connection.vendor == "postgresql":
            # Until autovacuum gets to it, PostgreSQL plans the claims with statistics from before these
            # rows: it then took a send's rows by the send_id index and sorted all of them for each batch
            # (150 ms a claim at 100,000). A sample of the table costs well under a second once per send.
            with db_connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {db_connection.ops.quote_name(Delivery._meta.db_table)}")
    return send, True


def freeze_due(now=None):
    """Freeze every planned send that is due. Safe to call from several processes: `freeze` starts
    each send once. Returns the sends started."""
    due = Send.objects.filter(status=Send.Status.SCHEDULED, scheduled_at__lte=now or timezone.now()).order_by(
        "scheduled_at"
    )
    started = []
    for send in due:
        send, did_start = freeze(send)
        if did_start:
            logger.info("Started scheduled newsletter send %s.", send.pk)
            started.append(send)
    return started


def pause(send, reason=""):
    """Stop a running send; the worker that counts too many errors in a row does it too."""
    return bool(
        Send.objects.filter(pk=send.pk, status=Send.Status.RUNNING).update(
            status=Send.Status.PAUSED, status_reason=reason
        )
    )


def release_claims_of(worker_name):
    """Give back every row `worker_name` still holds (after it lost its database connection); the
    recorded ones are sent."""
    held = Delivery.objects.filter(claimed_by=worker_name, status=Delivery.Status.SENDING)
    with transaction.atomic():
        _confirm(held)
        return held.update(status=Delivery.Status.QUEUED, claimed_by="", claimed_at=None)


def _insert_deliveries(send, recipients):
    """A queued row per (email, name). The statement is written out because bulk_create spent ten
    times as long preparing the rows of a large list as the database took to store them; the other
    columns are NULL or, as their model defaults say, empty or zero. PostgreSQL gets every row in one
    statement, the addresses and names as two arrays: row by row (executemany, even pipelined) it took
    about 0.2 ms a recipient (18 s for 100,000 at a load average of 15; now 5 s)."""
    insert = (
        f"INSERT INTO {db_connection.ops.quote_name(Delivery._meta.db_table)} "
        "(send_id, email, name, status, attempts, last_error, message_id, claimed_by) "
    )
    recipients = list(recipients)
    with db_connection.cursor() as cursor:
        if db_connection.vendor == "postgresql":
            cursor.execute(
                insert + "SELECT %s, email, name, %s, 0, '', '', '' FROM unnest(%s::text[], %s::text[]) AS r(email, name)",
                [send.pk, Delivery.Status.QUEUED, [email for email, _name in recipients],
                 [name for _email, name in recipients]],
            )  # fmt: skip
        else:
            cursor.executemany(
                insert + "VALUES (%s, %s, %s, %s, 0, '', '', '')",
                [(send.pk, email, name, Delivery.Status.QUEUED) for email, name in recipients],
            )


def _tally(rows):
    """{"sent": n, "failed": n} of these delivery rows, in one query."""
    return rows.aggregate(
        sent=Count("id", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("id", filter=Q(status=Delivery.Status.FAILED)),
    )


def refresh_counters(send_id):
    rows = _tally(Delivery.objects.filter(send_id=send_id))
    Send.objects.filter(pk=send_id).update(sent_count=rows["sent"], failed_count=rows["failed"])


def finish_if_done(send_id, sent=0, failed=0):
    """Add what became of a batch (`sent` and `failed` rows) to the send's counters; once no row is open,
    count them all again (bounces may have changed rows meanwhile) and mark the send done.

    A count of all the send's rows after each batch grew with the list: at 100,000 recipients on
    PostgreSQL it cost as much as claiming the batch. While the send runs the counters move by each
    batch's own rows (an atomic increment, so workers may finish batches at once), as the batch's writes
    counted them (a count of the batch's rows by their ids cost 1 ms of the ORM's time a batch); the exact
    count at the end makes them right whatever happened in between.

    Only the last step is one transaction: on SQLite a transaction holds the database's one write lock
    from its start, and another worker's `mark_sent` that finds it taken sleeps a millisecond or more."""
    open_rows = Delivery.objects.filter(send_id=send_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
    if sent or failed:
        Send.objects.filter(pk=send_id).update(
            sent_count=F("sent_count") + sent, failed_count=F("failed_count") + failed
        )
    if not open_rows.exists():
        # Two workers may both get here; both count the same rows.
        with transaction.atomic():
            refresh_counters(send_id)
            Send.objects.filter(pk=send_id, status=Send.Status.RUNNING).update(
                status=Send.Status.DONE, finished_at=timezone.now()
            )


def recover_abandoned_claims():
    """Put rows of dead workers back in the queue (see the module docstring for the one-message window)."""
    cutoff = timezone.now() - timedelta(seconds=claim_timeout())
    abandoned = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=cutoff)
    # Nearly always there is none: a read (the partial index of claims) takes no write lock (see finish_if_done).
    if not abandoned.exists():
        return 0
    with transaction.atomic():
        _confirm(abandoned)
        recovered = abandoned.update(
            status=Delivery.Status.QUEUED,
            claimed_by="",
            claimed_at=None,
            last_error=_("Versandprozess abgebrochen, erneut eingereiht."),
        )
    if recovered:
        logger.warning("Re-queued %s newsletter deliveries of an abandoned worker.", recovered)
    return recovered


def claim_batch(worker_name, *, send_id=None, batch_size=None):
    """Mark up to `batch_size` due rows of one running send as ours; returns (send, rows) or (None, []).

    Sends are served in the order they started (their rows have the lowest ids, and a send's rows are
    claimed in id order): a later send gets rows once the earlier ones have nothing due. There is no
    query for the first due row of all running sends: PostgreSQL answered it by walking the rows in
    id order past every row already sent, so a large send's claims got slower as it went on."""
    batch_size = batch_size or setting("BATCH_SIZE", 500)
    now = timezone.now()
    running = Send.objects.filter(status=Send.Status.RUNNING)
    if send_id is not None:
        running = running.filter(pk=send_id)
    for pk in running.order_by("started_at", "pk").values_list("pk", flat=True):
        claimed = _claim_rows(pk, worker_name, now, batch_size)
        if claimed:
            break
    else:
        return None, []
    send = Send.objects.select_related("edition__newsletter").get(pk=pk)
    return send, [Claimed._make(row) for row in claimed]


class Claimed(NamedTuple):
    """A claimed delivery row, as much of it as sending needs (a model instance per row cost 10 µs)."""

    pk: int
    email: str
    name: str
    attempts: int


def _claim_rows(send_id, worker_name, now, batch_size):
    """Claim up to `batch_size` of the send's due rows, lowest ids first; (id, email, name, attempts) of each.

    The rows are claimed and read back in one statement (UPDATE … RETURNING): on PostgreSQL its
    subquery locks the rows with SKIP LOCKED, so concurrent workers take different rows instead of
    waiting on each other, and finds them through the `delivery_queued` index; SQLite has no row locks,
    and the IMMEDIATE transaction mode makes the whole claim one writer at a time. The status condition
    makes the claim safe even where neither applies."""
    ops = db_connection.ops
    table = ops.quote_name(Delivery._meta.db_table)
    due = (
        f"SELECT id FROM {table} WHERE send_id = %s AND status = %s AND "
        "(next_attempt_at IS NULL OR next_attempt_at <= %s) ORDER BY id LIMIT %s"
    )
    if db_connection.features.has_select_for_update_skip_locked:
        # ANY(ARRAY(…)) runs the subquery once; PostgreSQL may run an IN (…) subquery again for
        # more rows, and with SKIP LOCKED each run finds other rows: the LIMIT would not hold.
        ids = f"= ANY(ARRAY({due} FOR UPDATE SKIP LOCKED))"
    else:
        ids = f"IN ({due})"
    at = ops.adapt_datetimefield_value(now)
    with transaction.atomic(), db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, claimed_by = %s, claimed_at = %s WHERE status = %s AND id {ids} "
            "RETURNING id, email, name, attempts",
            [Delivery.Status.SENDING, worker_name, at, Delivery.Status.QUEUED,
             send_id, Delivery.Status.QUEUED, at, batch_size],
        )  # fmt: skip
        return sorted(cursor.fetchall())


def _confirm(claimed):
    """The recorded rows among `claimed` (a queryset of claimed rows) become sent; the others stay claimed."""
    return claimed.filter(sent_at__isnull=False).update(
        status=Delivery.Status.SENT, attempts=F("attempts") + 1, last_error=""
    )


def _batch(rows, worker_name):
    """The rows of a batch (`rows` in id order) this worker still holds. The id range and the claim name
    together pick exactly them: a worker holds one batch at a time. A list of 200 ids cost the ORM about
    0.8 ms to prepare (4 µs a row, more than the statement); a range costs what one id does."""
    return Delivery.objects.filter(
        pk__range=(rows[0].pk, rows[-1].pk), claimed_by=worker_name, status=Delivery.Status.SENDING
    )


def confirm_sent(rows, worker_name):
    """The batch's recorded rows (`mark_sent`) become sent, in one statement; returns how many."""
    return _confirm(_batch(rows, worker_name)) if rows else 0


def release(rows, worker_name, delay=0):
    """Give claimed rows back unsent (they were never handed to the server; `confirm_sent` ran before)."""
    if not rows:
        return
    Delivery.objects.filter(
        pk__in=[row.pk for row in rows], claimed_by=worker_name, status=Delivery.Status.SENDING, sent_at__isnull=True
    ).update(
        status=Delivery.Status.QUEUED,
        claimed_by="",
        claimed_at=None,
        next_attempt_at=timezone.now() + timedelta(seconds=delay) if delay else None,
    )


# What a lost database connection (a restarted server, a terminated backend) raises.
DATABASE_LOST = (OperationalError, InterfaceError)


def until_recorded(write, *args):
    """Write down what became of a message the server has seen, retrying through a lost connection.

    Without the record the row would stay claimed and go out again once its claim timed out. The
    retries end with the claim timeout: by then another worker may have taken the row over.
    """
    deadline = time.monotonic() + claim_timeout()
    delay = 0.1
    while True:
        try:
            return write(*args)
        except DATABASE_LOST:
            if time.monotonic() > deadline:
                raise
            logger.warning("Database unreachable while recording a newsletter delivery; retrying.", exc_info=True)
            db_connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 5)


def mark_sent(row, worker_name, msg_id):
    """Record one accepted message: its `sent_at` and Message-ID, autocommitted (window 3 above closes with
    it); its status moves with the batch's (`confirm_sent`).

    It runs once per message, so the statement goes to the database driver itself: through the ORM it cost
    more than running it, and Django's cursor (its wrappers, the placeholder translation for SQLite) still
    took about as long as the statement (25 of 45 µs on SQLite). Errors are still Django's, so a lost
    connection is `DATABASE_LOST` for `until_recorded`; the statement is not in Django's query log."""
    db = connections[DEFAULT_DB_ALIAS]
    params = (_now_for(db), msg_id, row.pk, worker_name, Delivery.Status.SENDING)
    with db.wrap_database_errors:
        db.ensure_connection()
        if db.vendor == "sqlite":
            _write_waiting_briefly(db, _mark_sent_statement(db.vendor), params)
        else:
            db.connection.execute(_mark_sent_statement(db.vendor), params)


def _now_for(db):
    """`timezone.now()` as the driver takes it for a DateTimeField. SQLite's adapter (the time made naive in
    the connection's zone, then written out) took 5 µs a message; the clock read in that zone is the same."""
    if db.vendor == "sqlite" and settings.USE_TZ:
        return str(datetime.now(db.timezone).replace(tzinfo=None))
    return db.ops.adapt_datetimefield_value(timezone.now())


# How long a write waits between two tries for SQLite's lock, in seconds.
SQLITE_LOCK_POLL = 0.00005


def _write_waiting_briefly(db, sql, params):
    """Run a short write on SQLite, waiting for the database's one write lock in steps of 50 µs.

    SQLite's own busy handler sleeps 1, 2, 5, 10 … ms when another connection holds the lock. With two
    workers each recording a message every few hundred µs, one in about ten records found the other's
    lock and slept at least a millisecond: 730 sleeps for 5,000 messages (strace), about an eighth of
    the worker's time. The lock is held for tens of µs, so a short poll gets it soon after it is
    free. The busy handler is off only for this statement; the wait ends with the connection's timeout."""
    raw = db.connection
    timeout = db.settings_dict["OPTIONS"].get("timeout", 5)
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = None
        while True:
            try:
                return raw.execute(sql, params)
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
                now = time.monotonic()
                deadline = deadline or now + timeout
                if now > deadline:
                    raise
                time.sleep(SQLITE_LOCK_POLL)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


@functools.cache
def _mark_sent_statement(vendor):
    sql = (
        f'UPDATE "{Delivery._meta.db_table}" SET sent_at = %s, message_id = %s '
        "WHERE id = %s AND claimed_by = %s AND status = %s"
    )
    # The drivers' own placeholders: sqlite3 takes "?", psycopg "%s".
    return sql.replace("%s", "?") if vendor == "sqlite" else sql


def mark_retry(row, worker_name, error):
    """Queue the row again for later; once its attempts are used up it fails. Returns True when it failed."""
    attempts = row.attempts + 1
    if attempts >= max_attempts():
        return mark_failed(row, worker_name, error)
    Delivery.objects.filter(pk=row.pk, claimed_by=worker_name).update(
        status=Delivery.Status.QUEUED,
        attempts=attempts,
        last_error=str(error)[:2000],
        next_attempt_at=timezone.now() + timedelta(seconds=retry_delay(attempts)),
        claimed_by="",
        claimed_at=None,
    )
    return False


def mark_failed(row, worker_name, error):
    """Fail the row for good; returns whether it did (the row is still this worker's)."""
    return bool(
        Delivery.objects.filter(pk=row.pk, claimed_by=worker_name).update(
            status=Delivery.Status.FAILED, attempts=F("attempts") + 1, last_error=str(error)[:2000]
        )
    )


def skip_suppressed(newsletter, rows, worker_name):
    """Someone who unsubscribed or bounced after the audience was frozen gets nothing more. The batch's
    addresses go to the database as a subquery of its rows (`rows` in id order, held by `worker_name`):
    a list of 200 cost the ORM about 1 ms to prepare."""
    if not rows:
        return rows
    excluded = selectors.excluded_among(newsletter, _batch(rows, worker_name).values_list(Lower("email")))
    if not excluded:
        return rows
    skipped = [row for row in rows if row.email.lower() in excluded]
    Delivery.objects.filter(pk__in=[row.pk for row in skipped]).update(status=Delivery.Status.SKIPPED)
    return [row for row in rows if row.email.lower() not in excluded]
