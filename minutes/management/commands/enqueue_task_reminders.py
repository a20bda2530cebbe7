from django.core.management.base import BaseCommand

from minutes.tasks import enqueue_due_task_reminders


class Command(BaseCommand):
    help = "Queue reminders for open tasks of the minutes that fall due within three days (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        count = enqueue_due_task_reminders()
        self.stdout.write(f"{count} Aufgaben-Erinnerung(en) eingereiht.")
