from django.core.management.base import BaseCommand

from newsletter.delivery.lifecycle import start_scheduled_sends


class Command(BaseCommand):
    help = "Starts planned newsletter sends that are due (e.g. every minute from cron)."

    def handle(self, *args, **options):
        started = start_scheduled_sends()
        self.stdout.write(f"{len(started)} scheduled sends started.")
