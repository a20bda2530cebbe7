from django.core.management.base import BaseCommand

from surveys.feedback_requests import send_due_feedback_requests


class Command(BaseCommand):
    help = (
        "Ask for feedback on meetings that ended SURVEYS_FEEDBACK_DELAY_HOURS ago in bodies or series with "
        "automatic feedback, once each, and finish interrupted requests (run hourly, e.g. from cron)."
    )

    def handle(self, *args, **options):
        requests, invitations = send_due_feedback_requests()
        self.stdout.write(f"{requests} Feedback-Anfrage(n), {invitations} Einladung(en) verschickt.")
