from django.core.management.base import BaseCommand

from newsletter.delivery.worker import run_worker


class Command(BaseCommand):
    help = "Starts due planned sends and sends running ones until nothing is left; several may run at once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send one batch and stop.")
        parser.add_argument("--send", type=int, help="Only this send (id).")
        parser.add_argument("--no-wait", action="store_true", help="Stop instead of waiting for deferred retries.")
        parser.add_argument("--forever", action="store_true", help="Keep running and start planned sends when due.")

    def handle(self, *args, once=False, send=None, no_wait=False, forever=False, **options):
        claimed = run_worker(send_id=send, once=once, wait=not no_wait, forever=forever)
        self.stdout.write(f"{claimed} deliveries processed.")
