from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletter.imports import ImportFormatError, import_subscribers
from newsletter.models import Newsletter


class Command(BaseCommand):
    help = (
        "Imports subscribers with provable consent from a CSV file "
        "(columns: email, name, consent_source, consent_given_at, consent_text)."
    )

    def add_arguments(self, parser):
        parser.add_argument("newsletter", help="Slug of the list.")
        parser.add_argument("file", type=Path)

    def handle(self, *args, newsletter, file, **options):
        target = Newsletter.objects.filter(slug=newsletter).first()
        if target is None:
            raise CommandError(f"No newsletter with the slug {newsletter!r}.")
        try:
            report = import_subscribers(
                target, file.read_text(encoding="utf-8-sig"), source_detail=f"Import aus {file.name}"
            )
        except ImportFormatError as error:
            raise CommandError(str(error)) from error
        for line, address, reason in report.rejected:
            self.stdout.write(f"line {line}: {address or '-'}: {reason}")
        self.stdout.write(f"{len(report.imported)} imported, {len(report.rejected)} rejected.")
