from django.core.management.base import BaseCommand

from forum import notifications


class Command(BaseCommand):
    help = "Sendet die tägliche oder wöchentliche Zusammenfassung der Forumsbenachrichtigungen."

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)

    def handle(self, *args, period, **options):
        sent = notifications.send_digests(period)
        self.stdout.write(f"{sent} Zusammenfassung(en) verschickt.")
