from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import delivery, services


@task()
def deliver_send(send_id):
    """Send what is due now; come back later for deferred retries instead of holding a worker slot."""
    delivery.run_worker(send_id=send_id, wait=False)
    delay = delivery.seconds_until_work(send_id)
    if delay is None:
        return
    if deliver_send.get_backend().supports_defer:
        deliver_send.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(send_id)
    else:
        delivery.run_worker(send_id=send_id)


@task()
def purge_unconfirmed_subscriptions():
    return services.purge_unconfirmed_subscriptions()


@task()
def start_scheduled_sends():
    """Run it every minute (cron, systemd timer) where no `deliver_newsletters --forever` worker runs."""
    return [send.pk for send in delivery.start_scheduled_sends()]
