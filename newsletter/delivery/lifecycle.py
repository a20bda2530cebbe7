"""A send's life: start it now or plan it, resume, cancel (pausing is a ledger write, `ledger.pause`,
which the worker also does after too many errors). Starting freezes the audience
(`ledger.freeze`) and, once that is committed, sets task workers going (`worker.deliver_send`)."""

from django.db import transaction
from django.utils import timezone

from ..models import Delivery, Send
from . import ledger
from .options import setting
from .worker import deliver_send


def start_send(send, *, enqueue=True):
    """Compile the edition and freeze the audience into Delivery rows, in one transaction.

    Returns (send, started). A second start (a double click, two coordinators at once) finds the
    send no longer in draft and changes nothing. With `enqueue`, task workers start sending once
    the transaction commits.
    """
    send, started = ledger.freeze(send)
    if started and enqueue and send.status == Send.Status.RUNNING:
        send_id = send.pk
        transaction.on_commit(lambda: _enqueue(send_id))
    return send, started


def schedule(send, when):
    """Plan a draft (or move a planned send); the audience is frozen only when it starts."""
    return bool(
        Send.objects.filter(pk=send.pk, status__in=[Send.Status.DRAFT, Send.Status.SCHEDULED]).update(
            status=Send.Status.SCHEDULED, scheduled_at=when
        )
    )


def unschedule(send):
    return bool(
        Send.objects.filter(pk=send.pk, status=Send.Status.SCHEDULED).update(
            status=Send.Status.DRAFT, scheduled_at=None
        )
    )


def start_scheduled_sends(now=None, *, enqueue=True):
    """Start every planned send that is due (see `ledger.freeze_due`); returns the sends started."""
    started = ledger.freeze_due(now)
    if enqueue:
        for send in started:
            if send.status == Send.Status.RUNNING:
                send_id = send.pk
                transaction.on_commit(lambda send_id=send_id: _enqueue(send_id))
    return started


def _enqueue(send_id):
    """A task for each task worker that should share the send: one task sends batches until none
    is left, so with a single task a second worker would sit idle. Surplus tasks find nothing
    left and end at once."""
    for _ in range(max(setting("PARALLEL_TASKS", 2), 1)):
        deliver_send.enqueue(send_id)


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
            ledger.refresh_counters(send.pk)
    return bool(cancelled)
