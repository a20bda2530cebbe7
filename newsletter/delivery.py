"""Sending a newsletter: freeze the audience, then workers claim batches and send each message once.

The `Delivery` row is the ledger. A row goes queued → sending (claimed, committed before any SMTP
traffic) → sent (committed right after the server accepted the message), or back to queued with a
later `next_attempt_at` after a temporary error, or failed after a permanent one.

Exactly once, and the one window left: a worker sends its claimed rows one by one in id order and
resolves each row before starting the next. If it dies, its rows stay `sending` until the claim is
older than NEWSLETTER_CLAIM_TIMEOUT; then any worker puts them back in the queue. All of them except
at most ONE were never handed to the server: the message in flight when the worker died may have
been accepted without the worker recording it. That one is sent again with the same deterministic
Message-ID (send id + delivery id), which lets mail systems recognise the duplicate. So per crashed
worker at most one recipient may see a message twice; nobody is ever skipped.

Live workers refresh `claimed_at` while they work (every third of the timeout), so a slow batch is
never mistaken for an abandoned one.

A lost database connection (a restarted server) is no crash: the worker records the message in
flight once the database answers again, gives its other claimed rows back at once and carries on.
"""

import logging
import os
import smtplib
import socket
import time
import uuid
from datetime import timedelta
from email.utils import formataddr, formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import forbid_multi_line_headers, sanitize_address
from django.db import InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services
from .models import Delivery, Send
from .rendering import HEADER_FIELDS, compile_edition, greeter, link_maker, message_template, personalize, recipient_links

logger = logging.getLogger(__name__)


def setting(name, default):
    return getattr(settings, f"NEWSLETTER_{name}", default)


def list_domain():
    return setting("LIST_ID_DOMAIN", "sozialraum.example.org")


def message_id(send_id, delivery_id):
    return f"<newsletter-{send_id}-{delivery_id}@{list_domain()}>"


# --- Starting, pausing, resuming, cancelling ---------------------------------------------------------


def start_send(send, *, enqueue=True):
    """Compile the edition and freeze the audience into Delivery rows, in one transaction.

    Returns (send, started). A second start (a double click, two coordinators at once) finds the
    send no longer in draft and changes nothing.
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
        if enqueue and recipients:
            send_id = send.pk
            transaction.on_commit(lambda: _enqueue(send_id))
    return send, True


def _insert_deliveries(send, recipients):
    """A queued row per (email, name). The statement is written out because bulk_create spent ten
    times as long preparing the rows of a large list as the database took to store them; the other
    columns are NULL or, as their model defaults say, empty or zero."""
    quote = db_connection.ops.quote_name
    with db_connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(Delivery._meta.db_table)} (send_id, email, name, status, attempts, last_error, "
            "message_id, claimed_by) VALUES (%s, %s, %s, %s, 0, '', '', '')",
            [(send.pk, email, name, Delivery.Status.QUEUED) for email, name in recipients],
        )


def schedule(send, when):
    """Plan a draft (or move a planned send); the audience is frozen only when it starts."""
    return bool(
        Send.objects.filter(pk=send.pk, status__in=[Send.Status.DRAFT, Send.Status.SCHEDULED]).update(
            status=Send.Status.SCHEDULED, scheduled_at=when
        )
    )


def unschedule(send):
    return bool(
        Send.objects.filter(pk=send.pk, status=Send.Status.SCHEDULED).update(status=Send.Status.DRAFT, scheduled_at=None)
    )


def start_scheduled_sends(now=None, *, enqueue=True):
    """Start every planned send that is due. Safe to call from several processes: `start_send`
    starts each send once. Returns the sends started."""
    due = Send.objects.filter(status=Send.Status.SCHEDULED, scheduled_at__lte=now or timezone.now()).order_by("scheduled_at")
    started = []
    for send in due:
        send, did_start = start_send(send, enqueue=enqueue)
        if did_start:
            logger.info("Started scheduled newsletter send %s.", send.pk)
            started.append(send)
    return started


def _enqueue(send_id):
    """A task for each task worker that should share the send: one task sends batches until none
    is left, so with a single task a second worker would sit idle. Surplus tasks find nothing
    left and end at once."""
    from .tasks import deliver_send

    for _ in range(max(setting("PARALLEL_TASKS", 2), 1)):
        deliver_send.enqueue(send_id)


def pause(send, reason=""):
    return bool(
        Send.objects.filter(pk=send.pk, status=Send.Status.RUNNING).update(status=Send.Status.PAUSED, status_reason=reason)
    )


def resume(send, *, enqueue=True):
    """Continue a paused send; deferred retries are due at once, so a fixed server is used right away."""
    with transaction.atomic():
        resumed = Send.objects.filter(pk=send.pk, status=Send.Status.PAUSED).update(
            status=Send.Status.RUNNING, status_reason="", consecutive_errors=0
        )
        if resumed:
            Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED).update(next_attempt_at=None)
            if enqueue:
                send_id = send.pk
                transaction.on_commit(lambda: _enqueue(send_id))
    return bool(resumed)


def cancel(send):
    with transaction.atomic():
        cancelled = Send.objects.filter(
            pk=send.pk, status__in=[Send.Status.DRAFT, Send.Status.SCHEDULED, Send.Status.RUNNING, Send.Status.PAUSED]
        ).update(status=Send.Status.CANCELLED, finished_at=timezone.now())
        if cancelled:
            Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED).update(status=Delivery.Status.SKIPPED)
            refresh_counters(send.pk)
    return bool(cancelled)


def refresh_counters(send_id):
    rows = Delivery.objects.filter(send_id=send_id)
    Send.objects.filter(pk=send_id).update(
        sent_count=rows.filter(status=Delivery.Status.SENT).count(),
        failed_count=rows.filter(status=Delivery.Status.FAILED).count(),
    )


def _finish_if_done(send_id):
    open_rows = Delivery.objects.filter(send_id=send_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
    with transaction.atomic():
        refresh_counters(send_id)
        if not open_rows.exists():
            Send.objects.filter(pk=send_id, status=Send.Status.RUNNING).update(
                status=Send.Status.DONE, finished_at=timezone.now()
            )


# --- Claiming -------------------------------------------------------------------------------------------


def claim_timeout():
    return setting("CLAIM_TIMEOUT", 600)


def recover_abandoned_claims():
    """Put rows of dead workers back in the queue (see the module docstring for the one-message window)."""
    cutoff = timezone.now() - timedelta(seconds=claim_timeout())
    recovered = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=cutoff).update(
        status=Delivery.Status.QUEUED,
        claimed_by="",
        claimed_at=None,
        last_error=_("Versandprozess abgebrochen, erneut eingereiht."),
    )
    if recovered:
        logger.warning("Re-queued %s newsletter deliveries of an abandoned worker.", recovered)
    return recovered


def _due(now):
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def claim_batch(worker_name, *, send_id=None, batch_size=None):
    """Mark up to `batch_size` due rows of one running send as ours; returns (send, rows) or (None, [])."""
    batch_size = batch_size or setting("BATCH_SIZE", 50)
    now = timezone.now()
    candidates = Delivery.objects.filter(send__status=Send.Status.RUNNING, status=Delivery.Status.QUEUED).filter(_due(now))
    if send_id is not None:
        candidates = candidates.filter(send_id=send_id)
    with transaction.atomic():
        first = candidates.order_by("id").values_list("send_id", flat=True).first()
        if first is None:
            return None, []
        rows = Delivery.objects.filter(send_id=first, status=Delivery.Status.QUEUED).filter(_due(now)).order_by("id")
        if db_connection.features.has_select_for_update_skip_locked:
            # PostgreSQL: concurrent workers skip each other's rows instead of waiting on them.
            rows = rows.select_for_update(skip_locked=True)
        # SQLite has no row locks; the IMMEDIATE transaction mode makes this whole block one writer at a time.
        ids = list(rows.values_list("id", flat=True)[:batch_size])
        # The status condition makes the claim safe even where neither mechanism applies.
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SENDING, claimed_by=worker_name, claimed_at=now
        )
    send = Send.objects.select_related("edition__newsletter").get(pk=first)
    claimed = list(
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING, claimed_by=worker_name).order_by("id")
    )
    return send, claimed


# --- Sending one batch ------------------------------------------------------------------------------


def _unsubscribe_mailbox():
    return setting("UNSUBSCRIBE_MAILBOX", f"unsubscribe@{list_domain()}")


def _list_unsubscribe(links, mailbox, separator=", "):
    return f"<{links['unsubscribe_url']}>{separator}<mailto:{mailbox}?subject=unsubscribe-{links['unsubscribe_token']}>"


def _list_id(newsletter):
    # formataddr encodes a non-ASCII list name but leaves the list id itself readable, as RFC 2919 wants.
    return formataddr((newsletter.name, f"{newsletter.slug}.{list_domain()}"))


def _message(newsletter, *, subject, html, text, email, name, msg_id, links):
    html, text = personalize(html, text, name=name, links=links)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=newsletter.sender,
        to=[email],
        reply_to=[newsletter.reply_to] if newsletter.reply_to else None,
        headers={
            "List-Unsubscribe": _list_unsubscribe(links, _unsubscribe_mailbox()),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": _list_id(newsletter),
            "Message-ID": msg_id,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def build_message(send, delivery, links):
    return _message(
        send.edition.newsletter,
        subject=send.subject,
        html=send.compiled_html,
        text=send.compiled_text,
        email=delivery.email,
        name=delivery.name,
        msg_id=message_id(send.pk, delivery.pk),
        links=links,
    )


def _template(send, *, eight_bit=False):
    """The send's message encoded once, with the headers Django would write (encoded the same way)."""
    newsletter = send.edition.newsletter
    fixed = {"Subject": send.subject, "From": newsletter.sender}
    if newsletter.reply_to:
        fixed["Reply-To"] = newsletter.reply_to
    fixed.update({"List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": _list_id(newsletter)})
    headers = [forbid_multi_line_headers(name, value, "utf-8") for name, value in fixed.items()]
    headers += [(name, mark) for name, mark in HEADER_FIELDS.items()]
    return message_template(tuple(headers), send.compiled_text, send.compiled_html, eight_bit)


def _sender(send, connection):
    """A function that hands one row's message to the backend and returns its Message-ID.

    Over Django's SMTP backend the bytes come from the send's template and go straight to the open
    smtplib connection (what the backend's own send would do with a message it serialised itself);
    any other backend (an e-mail provider's API, the outbox in tests) gets an EmailMessage.
    """
    links = link_maker(send.edition.newsletter)
    if not isinstance(connection, SMTPBackend):

        def send_message(row):
            message = build_message(send, row, links(row.email))
            connection.send_messages([message])
            return message.extra_headers["Message-ID"]

        return send_message

    template = _template(send)
    unencoded = _template(send, eight_bit=True)
    mail_options = ["BODY=8BITMIME"] if unencoded.eight_bit else []
    newsletter = send.edition.newsletter
    sender = sanitize_address(newsletter.sender, "utf-8")
    greet = greeter()
    mailbox = _unsubscribe_mailbox()
    localtime = settings.EMAIL_USE_LOCALTIME

    def send_raw(row):
        msg_id = message_id(send.pk, row.pk)
        personal = links(row.email)
        # Checks for line breaks and encodes a non-ASCII address as Django does for header and envelope.
        _name, to = forbid_multi_line_headers("To", row.email, "utf-8")
        headers = {
            "To": to,
            "Date": formatdate(localtime=localtime),
            "Message-ID": msg_id,
            # Folded after the comma: the two addresses together would exceed the line length headers should keep.
            "List-Unsubscribe": _list_unsubscribe(personal, mailbox, separator=",\r\n "),
        }
        values = {
            "greeting": greet(row.name),
            "manage_url": personal["manage_url"],
            "unsubscribe_url": personal["unsubscribe_url"],
        }
        smtp = connection.connection
        # The server's extensions are known only after EHLO, which smtplib otherwise sends with the first message.
        smtp.ehlo_or_helo_if_needed()
        raw = unencoded.fill(headers, **values) if mail_options and smtp.has_extn("8bitmime") else None
        if raw is None:
            smtp.sendmail(sender, [to], template.fill(headers, **values))
        else:
            smtp.sendmail(sender, [to], raw, mail_options)
        return msg_id

    return send_raw


def send_test(edition, user):
    """The edition as its readers will get it, to the person composing it; outside the delivery ledger."""
    compiled = compile_edition(edition)
    message = _message(
        edition.newsletter,
        subject=_("[Test] %(subject)s") % {"subject": compiled.subject},
        html=compiled.html,
        text=compiled.text,
        email=user.email,
        name=user.public_name,
        links=recipient_links(user.email, edition.newsletter),
        msg_id=f"<newsletter-test-{uuid.uuid4().hex}@{list_domain()}>",
    )
    message.send()


class _Temporary(Exception):
    """Try this message again later; `connection_lost` means the rest of the batch must wait too."""

    def __init__(self, text, *, connection_lost=False):
        super().__init__(text)
        self.connection_lost = connection_lost


class _Permanent(Exception):
    def __init__(self, text, *, hard_bounce=False):
        super().__init__(text)
        self.hard_bounce = hard_bounce


def _answer(code, text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _classify(error):
    """Turn what smtplib raised into a retry or a final failure, keeping the server's answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        answer = _answer(code, text)
        if 400 <= code < 500:
            return _Temporary(answer)
        # 5.1.x: the mailbox does not exist; other 5xx (policy, spam) say nothing about the address.
        return _Permanent(answer, hard_bounce=code in (550, 551, 553) and "5.1." in answer)
    if isinstance(error, smtplib.SMTPSenderRefused):
        # Affects every message of the send: retry and let the error counter pause the send.
        return _Temporary(_answer(error.smtp_code, error.smtp_error))
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _Temporary(str(error) or _("Verbindung zum Mailserver unterbrochen."), connection_lost=True)
    if isinstance(error, smtplib.SMTPResponseException):
        answer = _answer(error.smtp_code, error.smtp_error)
        if 400 <= error.smtp_code < 500:
            return _Temporary(answer)
        return _Permanent(answer)
    if isinstance(error, (OSError, smtplib.SMTPException)):
        return _Temporary(str(error) or error.__class__.__name__, connection_lost=True)
    raise error


def _retry_delay(attempt):
    delays = setting("RETRY_DELAYS", (60, 300, 900, 3600, 14400))
    return delays[min(attempt, len(delays)) - 1] if delays else 0


def _max_attempts():
    return len(setting("RETRY_DELAYS", (60, 300, 900, 3600, 14400))) + 1


def _release(rows, worker_name, delay=0):
    """Give claimed rows back unsent (they were never handed to the server)."""
    if not rows:
        return
    Delivery.objects.filter(pk__in=[row.pk for row in rows], claimed_by=worker_name, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED,
        claimed_by="",
        claimed_at=None,
        next_attempt_at=timezone.now() + timedelta(seconds=delay) if delay else None,
    )


# What a lost database connection (a restarted server, a terminated backend) raises.
DATABASE_LOST = (OperationalError, InterfaceError)


def _until_recorded(write, *args):
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


def _mark_sent(row, worker_name, msg_id):
    # Runs once per message, so the statement is written out: building it with the ORM cost more than running it.
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {db_connection.ops.quote_name(Delivery._meta.db_table)} SET status = %s, sent_at = %s, "
            "message_id = %s, attempts = attempts + 1, last_error = '' WHERE id = %s AND claimed_by = %s",
            [
                Delivery.Status.SENT,
                db_connection.ops.adapt_datetimefield_value(timezone.now()),
                msg_id,
                row.pk,
                worker_name,
            ],
        )


def _mark_retry(row, worker_name, error):
    attempts = row.attempts + 1
    if attempts >= _max_attempts():
        _mark_failed(row, worker_name, error)
        return
    Delivery.objects.filter(pk=row.pk, claimed_by=worker_name).update(
        status=Delivery.Status.QUEUED,
        attempts=attempts,
        last_error=str(error)[:2000],
        next_attempt_at=timezone.now() + timedelta(seconds=_retry_delay(attempts)),
        claimed_by="",
        claimed_at=None,
    )


def _mark_failed(row, worker_name, error):
    Delivery.objects.filter(pk=row.pk, claimed_by=worker_name).update(
        status=Delivery.Status.FAILED, attempts=F("attempts") + 1, last_error=str(error)[:2000]
    )


def _register_error(send, error):
    """Count an error that may concern the whole send; pause it once too many came in a row."""
    Send.objects.filter(pk=send.pk).update(consecutive_errors=F("consecutive_errors") + 1)
    errors = Send.objects.values_list("consecutive_errors", flat=True).get(pk=send.pk)
    if errors >= setting("MAX_CONSECUTIVE_ERRORS", 10):
        reason = _("Angehalten nach %(count)s Fehlern in Folge. Letzter Fehler: %(error)s") % {
            "count": errors,
            "error": str(error),
        }
        if pause(send, reason):
            logger.error("Newsletter send %s paused: %s", send.pk, reason)
    return errors


def _reset_errors(send):
    Send.objects.filter(pk=send.pk, consecutive_errors__gt=0).update(consecutive_errors=0)


def _skip_suppressed(send, rows):
    """Someone who unsubscribed or bounced after the audience was frozen gets nothing more."""
    excluded = selectors.excluded_addresses(send.edition.newsletter)
    skipped = [row for row in rows if row.email.lower() in excluded]
    if skipped:
        Delivery.objects.filter(pk__in=[row.pk for row in skipped]).update(status=Delivery.Status.SKIPPED)
    return [row for row in rows if row.email.lower() not in excluded]


def _send_state(send):
    """(status, consecutive errors) as the database has them now, whoever changed them."""
    return Send.objects.values_list("status", "consecutive_errors").get(pk=send.pk)


def process_batch(worker_name, *, send_id=None, batch_size=None):
    """Claim one batch and send it over one SMTP connection. Returns the number of rows claimed."""
    recover_abandoned_claims()
    send, rows = claim_batch(worker_name, send_id=send_id, batch_size=batch_size)
    if not rows:
        return 0
    claimed = len(rows)
    rows = _skip_suppressed(send, rows)
    rate = send.rate_limit if send.rate_limit is not None else setting("RATE_LIMIT", 10)
    interval = 1 / rate if rate else 0
    heartbeat_every = claim_timeout() / 3
    last_heartbeat = last_sent = last_check = time.monotonic()
    # A pause or cancel is honoured within this many seconds; reading the status per message cost a query each.
    check_every = setting("STATUS_CHECK_INTERVAL", 1)
    errors_to_reset = send.consecutive_errors > 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - what a backend raises on connect is backend-specific
        problem = _classify(error)
        errors = _register_error(send, problem)
        _release(rows, worker_name, delay=_retry_delay(errors))
        _finish_if_done(send.pk)
        return claimed
    send_message = _sender(send, connection)
    try:
        for index, row in enumerate(rows):
            now = time.monotonic()
            if now - last_heartbeat >= heartbeat_every:
                Delivery.objects.filter(claimed_by=worker_name, status=Delivery.Status.SENDING).update(
                    claimed_at=timezone.now()
                )
                last_heartbeat = now
            if now - last_check >= check_every:
                status, errors = _send_state(send)
                if status != Send.Status.RUNNING:
                    _release(rows[index:], worker_name)
                    break
                errors_to_reset = errors_to_reset or errors > 0
                last_check = now
            if interval and now - last_sent < interval:
                time.sleep(interval - (now - last_sent))
            last_sent = time.monotonic()
            try:
                msg_id = send_message(row)
            except Exception as error:  # noqa: BLE001 - classified below; unknown errors are re-raised there
                problem = _classify(error)
                if isinstance(problem, _Permanent):
                    _until_recorded(_mark_failed, row, worker_name, problem)
                    if problem.hard_bounce:
                        services.record_hard_bounce(row.email, str(problem))
                    continue
                _until_recorded(_mark_retry, row, worker_name, problem)
                errors = _register_error(send, problem)
                errors_to_reset = True
                if problem.connection_lost:
                    _release(rows[index + 1 :], worker_name, delay=_retry_delay(errors))
                    break
                continue
            _until_recorded(_mark_sent, row, worker_name, msg_id)
            if errors_to_reset:
                _reset_errors(send)
                errors_to_reset = False
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - the messages are recorded; a failing QUIT changes nothing
            logger.info("Closing the SMTP connection failed.", exc_info=True)
    _finish_if_done(send.pk)
    return claimed


# --- Workers -------------------------------------------------------------------------------------------


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

    Every message handed to the server was recorded first (`_until_recorded`), so the rows still
    claimed were never sent: they need not wait for the claim timeout.
    """
    delay = 0.1
    while True:
        db_connection.close()
        try:
            released = Delivery.objects.filter(claimed_by=name, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.QUEUED, claimed_by="", claimed_at=None
            )
        except DATABASE_LOST:
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
                start_scheduled_sends(enqueue=False)
            claimed = process_batch(name, send_id=send_id)
            total += claimed
            if once:
                return total
            if claimed:
                continue
            delay = seconds_until_work(send_id)
        except DATABASE_LOST:
            logger.warning("Newsletter worker %s lost its database connection; reconnecting.", name, exc_info=True)
            _reconnect(name)
            continue
        if forever:
            time.sleep(poll if delay is None else min(max(delay, 0.05), poll))
            continue
        if delay is None or not wait:
            return total
        time.sleep(min(max(delay, 0.05), poll))
