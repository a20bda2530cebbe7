"""Planned sends start when due (command, task, running worker); the admin plans them and shows statistics."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from newsletter import services, tasks
from newsletter.delivery import lifecycle, worker
from newsletter.models import Delivery, Send

from .conftest import as_received


def test_planned_send_waits_until_due_then_the_command_starts_it(
    make_edition, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("leser@example.org")
    send = services.create_send(make_edition())
    when = timezone.now() + timedelta(hours=2)
    assert lifecycle.schedule(send, when)
    call_command("start_scheduled_sends")
    send.refresh_from_db()
    assert send.status == Send.Status.SCHEDULED and not send.deliveries.exists()

    # A subscriber who joins before the start is part of the audience: it is frozen only at the start.
    subscribe("spaet@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.start_scheduled_sends(now=when + timedelta(seconds=1)) == [send]
    send.refresh_from_db()
    # The settings' ImmediateBackend ran the enqueued delivery task at once.
    assert send.status == Send.Status.DONE and send.recipients_count == 2
    assert sorted(as_received(message)["To"] for message in mailoutbox) == ["leser@example.org", "spaet@example.org"]
    assert lifecycle.start_scheduled_sends(now=when + timedelta(minutes=5)) == []


def test_the_task_and_a_running_worker_pick_up_due_sends(
    make_edition, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("leser@example.org")
    first = services.create_send(make_edition())
    second = services.create_send(make_edition())
    lifecycle.schedule(first, timezone.now() - timedelta(seconds=1))
    lifecycle.schedule(second, timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.start_scheduled_sends.call() == [first.pk, second.pk]
    assert len(mailoutbox) == 2

    third = services.create_send(make_edition())
    lifecycle.schedule(third, timezone.now() - timedelta(seconds=1))
    worker.run_worker()
    third.refresh_from_db()
    assert third.status == Send.Status.DONE and len(mailoutbox) == 3


def test_unscheduled_and_cancelled_sends_never_start(make_edition, subscribe):
    subscribe("leser@example.org")
    unplanned = services.create_send(make_edition())
    cancelled = services.create_send(make_edition())
    for send in (unplanned, cancelled):
        lifecycle.schedule(send, timezone.now() - timedelta(seconds=1))
    lifecycle.unschedule(unplanned)
    lifecycle.cancel(cancelled)
    assert lifecycle.start_scheduled_sends() == []
    assert not Delivery.objects.exists()


def test_admin_plans_replans_and_unplans(coordinator_client, make_edition, subscribe):
    subscribe("leser@example.org")
    send = services.create_send(make_edition())
    page = coordinator_client.get(reverse("newsletter_admin:send", args=[send.pk])).content.decode()
    assert "Jetzt an 1 Adresse senden" in page and 'type="datetime-local"' in page and "Planen" in page

    action = reverse("newsletter_admin:action", args=[send.pk])
    past = coordinator_client.post(action, {"action": "schedule", "scheduled_at": "2020-01-01T08:00"})
    assert past.status_code == 400 and "in der Zukunft" in past.content.decode()

    when = timezone.localtime() + timedelta(days=1)
    response = coordinator_client.post(
        action, {"action": "schedule", "scheduled_at": when.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )
    send.refresh_from_db()
    assert send.status == Send.Status.SCHEDULED and send.scheduled_at == when.replace(second=0, microsecond=0)
    assert "geplant" in response.content.decode() and "Planung aufheben" in response.content.decode()

    coordinator_client.post(action, {"action": "unschedule"})
    send.refresh_from_db()
    assert send.status == Send.Status.DRAFT and send.scheduled_at is None


def test_statistics_without_tracking(coordinator_client, make_edition, subscribe, mailoutbox):
    from newsletter.selectors import send_statistics

    for address in ("a@example.org", "b@example.org", "c@example.org", "d@example.org"):
        subscribe(address)
    edition = make_edition()
    send, _started = lifecycle.start_send(services.create_send(edition), enqueue=False)
    worker.run_worker()
    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    services.record_bounce("b@example.org", hard=True, reason="550 5.1.1 unknown user")
    services.unsubscribe("c@example.org", edition.newsletter)
    Delivery.objects.filter(email="d@example.org").update(status=Delivery.Status.FAILED)

    page = coordinator_client.get(reverse("newsletter_admin:send", args=[send.pk])).content.decode()
    assert "Öffnungen und Klicks werden nicht gemessen" in page and "seit dem Versand abgemeldet" in page
    assert send_statistics(send) == {"delivered": 2, "failed": 1, "bounced": 1, "unsubscribed": 1}
