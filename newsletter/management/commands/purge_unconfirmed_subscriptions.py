from django.core.management.base import BaseCommand

from newsletter.services import purge_unconfirmed_subscriptions


class Command(BaseCommand):
    help = "Deletes newsletter sign-ups that were not confirmed within NEWSLETTER_CONFIRMATION_DAYS."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_unconfirmed_subscriptions()} unconfirmed subscriptions deleted.")
