from decimal import Decimal

import pytest

from monitoring.models import Indicator, IndicatorValue


@pytest.fixture
def quarters(make_district):
    """Two Quartiere with outlines and one without (not yet drawn)."""
    return (
        make_district("Seehof", slug="seehof"),
        make_district("Ruhlsdorf", slug="ruhlsdorf"),
        make_district("Mühlendorf", slug="muehlendorf", outline=None),
    )


@pytest.fixture
def indicators(db):
    return (
        Indicator.objects.create(name="Einwohnerinnen und Einwohner", slug="einwohner", unit="Personen"),
        Indicator.objects.create(name="Kinder in Kitas", slug="kita-kinder", unit="Kinder", is_example=True),
        Indicator.objects.create(name="SGB-II-Quote", slug="sgb-ii-quote", unit="%", decimals=1),
    )


@pytest.fixture
def stored_values(quarters, indicators):
    seehof, ruhlsdorf, _ = quarters
    people, kids, _ = indicators
    rows = [
        (people, seehof, 2023, "4700"),
        (people, seehof, 2024, "4812"),
        (people, ruhlsdorf, 2024, "2950"),
        (kids, seehof, 2024, "310"),
    ]
    return [IndicatorValue.objects.create(indicator=i, district=d, year=y, value=Decimal(v)) for i, d, y, v in rows]


def value_table():
    """Everything the values table holds, to compare before and after."""
    return sorted(IndicatorValue.objects.values_list("indicator_id", "district_id", "year", "value"))
