"""The demo's yearly reports: last year's published (its figures frozen at seeding), this year's as a draft."""

from django.utils import timezone

from reports.models import AnnualReport
from reports.selectors import annual_figures

EXAMPLE = "*Beispieldaten: Dieser Bericht gehört zur Demo; Zahlen und Texte sind erfunden oder aus der Demo gezählt.*"

TEXTS = {
    "past": (
        "Das Sozialraumnetzwerk ist im vergangenen Jahr gewachsen: Die Fokusgruppen haben regelmäßig getagt, "
        "ihre Bestandsaufnahmen abgeschlossen und die ersten **Zielvorschläge** eingereicht. Die "
        "Sozialraumkonferenz hat die Ergebnisse gemeinsam mit der Lenkungsrunde diskutiert.\n\n" + EXAMPLE,
        "Im kommenden Jahr stehen die Umsetzung der beschlossenen Maßnahmen und die Bürgerumfrage im Mittelpunkt.",
    ),
    "current": (
        "Entwurf der Sozialraumkoordination: Der Bericht wird zum Jahresende ergänzt und veröffentlicht.\n\n" + EXAMPLE,
        "",
    ),
}


def seed_reports():
    year = timezone.localdate().year
    past, created = AnnualReport.objects.get_or_create(
        year=year - 1, defaults={"introduction": TEXTS["past"][0], "outlook": TEXTS["past"][1]}
    )
    if created:
        past.figures = annual_figures(past.year)
        past.published_at = timezone.now()
        past.save(update_fields=["figures", "published_at"])
    AnnualReport.objects.get_or_create(
        year=year, defaults={"introduction": TEXTS["current"][0], "outlook": TEXTS["current"][1]}
    )
