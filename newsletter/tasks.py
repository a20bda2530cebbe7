from django_tasks import task

from . import services
from .delivery import lifecycle


@task()
def purge_unconfirmed_subscriptions():
    return services.purge_unconfirmed_subscriptions()


@task()
def start_scheduled_sends():
    """Run it every minute (cron, systemd timer) where no `deliver_newsletters --forever` worker runs."""
    return [send.pk for send in lifecycle.start_scheduled_sends()]
