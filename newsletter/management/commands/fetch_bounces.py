from django.core.management.base import BaseCommand

from newsletter.bounces import fetch_bounces


class Command(BaseCommand):
    help = (
        "Reads bounce reports (DSN, RFC 3464) and unsubscribe mails (List-Unsubscribe mailto:) from the IMAP "
        "mailbox in NEWSLETTER_BOUNCE_IMAP_* and records them."
    )

    def handle(self, *args, **options):
        counts = fetch_bounces()
        self.stdout.write(
            f"{counts['reports']} bounce reports with {counts['bounces']} recipients processed, "
            f"{counts['unsubscribes']} unsubscribe mails, "
            f"{counts['other']} other messages left in the mailbox."
        )
