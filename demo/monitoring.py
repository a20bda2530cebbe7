"""The demo's Quartiere and Sozialmonitoring from data/monitoring.yaml: rough outlines, invented values for
the three years before today's, and which organisations and proposals belong to which Quartier.

Rows are keyed on their slugs (values on indicator, district and year), so a second run changes nothing.
"""

import json
from decimal import Decimal

from django.utils import timezone

from monitoring.models import Indicator, IndicatorValue
from network.geojson import parse_outline
from network.models import District, Organisation
from planning.models import Proposal

from .data import load


def seed_monitoring():
    data = load("monitoring")
    districts = {}
    for number, item in enumerate(data["districts"]):
        # Through the same check as the coordination's form: a typo in the data file fails loudly here.
        outline = parse_outline(json.dumps({"type": "Polygon", "coordinates": [item["outline"]]}))
        districts[item["slug"]], _ = District.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item["description"].strip(),
                "outline": outline,
                "outline_is_approximate": True,
                "sort_order": number,
            },
        )
    years = [timezone.localdate().year - back for back in (3, 2, 1)]
    indicators = {}
    for number, item in enumerate(data["indicators"]):
        indicators[item["slug"]], _ = Indicator.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "unit": item["unit"],
                "description": item["description"],
                "source": data["indicator_note"],
                "decimals": item.get("decimals", 0),
                "is_example": True,
                "sort_order": number,
            },
        )
        for district_slug, values in item["values"].items():
            for year, value in zip(years, values, strict=True):
                IndicatorValue.objects.update_or_create(
                    indicator=indicators[item["slug"]],
                    district=districts[district_slug],
                    year=year,
                    defaults={"value": Decimal(str(value))},
                )
    for district_slug, organisation_slugs in data["organisations"].items():
        organisations = Organisation.objects.filter(slug__in=organisation_slugs)
        if organisations.count() != len(organisation_slugs):
            raise ValueError(f"demo/data/monitoring.yaml: unknown organisation among {organisation_slugs}")
        districts[district_slug].organisations.add(*organisations)
    for item in data["proposals"]:
        proposals = list(Proposal.objects.filter(title=item["title"]))
        if not proposals:
            raise ValueError(f"demo/data/monitoring.yaml: no proposal {item['title']!r}")
        for proposal in proposals:
            proposal.districts.add(*(districts[slug] for slug in item["districts"]))
            proposal.indicators.add(*(indicators[slug] for slug in item["indicators"]))
