"""The public Sozialmonitoring: a table per indicator with the change to the year before, charts, and the
mark on invented values; the coordination keeps the indicator list and enters values by hand."""

import re
from decimal import Decimal

import pytest

from monitoring.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


def test_everyone_sees_the_tables_with_the_change_to_the_year_before(client, stored_values):
    page = client.get("/sozialmonitoring/").content.decode()
    assert "Veränderung zum Vorjahr (2024)" in page
    # Seehof: 4.700 → 4.812 people.
    assert re.search(
        r"4\.700</td>\s*<td class=\"cell-number\">4\.812</td>\s*<td class=\"cell-number\">\+112 \(\+2,4 %\)", page
    )
    # Ruhlsdorf has no value for 2023: no change is invented.
    assert re.search(
        r"Ruhlsdorf</a></th>\s*<td class=\"cell-number\">–</td>\s*<td class=\"cell-number\">2\.950</td>\s*<td class=\"cell-number\">– </td>",
        page,
    )
    assert "Für diesen Indikator sind noch keine Werte eingetragen." in page  # SGB-II-Quote


def test_the_charts_are_accessible_svg_within_the_strict_csp(client, stored_values):
    response = client.get("/sozialmonitoring/")
    page = response.content.decode()
    assert page.count('role="img"') >= 2
    assert "<title id=" in page and "Einwohnerinnen und Einwohner 2024 je Quartier (Personen)</title>" in page
    assert "style=" not in re.sub(r"<head>.*?</head>", "", page, flags=re.S).split("<main", 1)[1].split("</main>")[0]
    assert "'unsafe-inline'" not in response.headers.get("Content-Security-Policy", "").split("style-src")[0]
    detail = client.get("/sozialmonitoring/indikatoren/einwohner/").content.decode()
    assert "je Quartier über die Jahre</title>" in detail and "<polyline" in detail


def test_invented_values_say_so(client, stored_values):
    page = client.get("/sozialmonitoring/").content.decode()
    assert "Beispielwerte, frei erfunden." in page
    assert page.count("Beispielwerte, frei erfunden") >= 2  # notice and the indicator's badge
    Indicator.objects.update(is_example=False)
    assert "Beispielwerte, frei erfunden" not in client.get("/sozialmonitoring/").content.decode()


def test_a_district_page_shows_its_indicators(client, stored_values):
    page = client.get("/netzwerk/quartiere/seehof/").content.decode()
    assert "Kennzahlen für Seehof" in page
    assert "4.812 Personen" in page and "+112 (+2,4 %)" in page


def test_the_coordination_defines_an_indicator_and_enters_values_the_german_way(logged_in, coordinator, quarters):
    seehof, ruhlsdorf, muehlendorf = quarters
    browser = logged_in(coordinator)
    created = browser.post(
        "/sozialmonitoring/verwalten/indikatoren/neu/",
        {"name": "Haushalte mit Wohngeld", "unit": "Haushalte", "source": "Wohngeldstelle", "decimals": "0"},
    )
    assert created.status_code == 302
    indicator = Indicator.objects.get(slug="haushalte-mit-wohngeld")

    url = "/sozialmonitoring/verwalten/indikatoren/haushalte-mit-wohngeld/werte/"
    response = browser.post(
        url,
        {
            "year": "2025",
            f"district_{seehof.pk}": "1.204",
            f"district_{ruhlsdorf.pk}": "87,5",
            f"district_{muehlendorf.pk}": "",
        },
    )
    assert response.status_code == 302
    assert dict(indicator.values.values_list("district__slug", "value")) == {
        "seehof": Decimal("1204"),
        "ruhlsdorf": Decimal("87.5"),
    }
    refused = browser.post(url, {"year": "2025", f"district_{seehof.pk}": "viele"})
    assert "„viele“ ist keine Zahl" in refused.content.decode()
    cleared = browser.post(url, {"year": "2025", f"district_{seehof.pk}": "", f"district_{ruhlsdorf.pk}": "88"})
    assert cleared.status_code == 302
    assert dict(indicator.values.values_list("district__slug", "value")) == {"ruhlsdorf": Decimal("88")}
    shown = browser.get(url + "?jahr=2025").content.decode()
    assert 'value="88"' in shown


@pytest.mark.parametrize("role", ["professional", "moderator", "editor"])
def test_only_the_coordination_changes_the_monitoring(request, logged_in, role, stored_values):
    browser = logged_in(request.getfixturevalue(role))
    before = list(IndicatorValue.objects.values_list("value", flat=True))
    for url, data in (
        ("/sozialmonitoring/verwalten/indikatoren/neu/", {"name": "Neu"}),
        ("/sozialmonitoring/verwalten/indikatoren/einwohner/", {"name": "Umbenannt"}),
        ("/sozialmonitoring/verwalten/indikatoren/einwohner/werte/", {"year": "2024"}),
    ):
        response = browser.post(url, data)
        assert response.status_code == 403
        assert "Nur die Sozialraumkoordination pflegt das Sozialmonitoring." in response.content.decode()
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == before
    assert not Indicator.objects.filter(name__in=["Neu", "Umbenannt"]).exists()
