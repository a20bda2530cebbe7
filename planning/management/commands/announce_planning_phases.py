from django.core.management.base import BaseCommand

from planning.services import announce_phases_begun


class Command(BaseCommand):
    help = (
        "Announce the phases of planning years that have begun by their dates, once each (run daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        years = announce_phases_begun()
        self.stdout.write(f"{len(years)} Phase(n) angekündigt.")
