from django.core.management.base import BaseCommand

from meetings.tasks import enqueue_due_reminders


class Command(BaseCommand):
    help = "Queue the day-before reminders of meetings starting within 24 hours (run hourly, e.g. from cron)."

    def handle(self, *args, **options):
        count = enqueue_due_reminders()
        self.stdout.write(f"{count} Erinnerung(en) eingereiht.")
