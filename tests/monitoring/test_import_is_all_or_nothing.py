"""An import stores every row of a clean preview, or nothing at all."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring import services
from monitoring.models import IndicatorValue
from network.models import District

from .conftest import value_table

pytestmark = pytest.mark.django_db

URL = "/sozialmonitoring/verwalten/import/"


def upload(*lines):
    return SimpleUploadedFile("werte.csv", "\n".join(lines).encode(), "text/csv")


def test_a_clean_file_is_shown_then_stored_after_confirmation(logged_in, coordinator, stored_values):
    browser = logged_in(coordinator)
    shown = browser.post(
        URL,
        {
            "action": "preview",
            "file": upload(
                "Indikator;Quartier;Jahr;Wert", "einwohner;Seehof;2024;4.900", "kita-kinder;Ruhlsdorf;2025;205"
            ),
        },
    )
    page = shown.content.decode()
    assert "2 Werte importieren" in page and "4.900" in page and "neu" in page
    assert IndicatorValue.objects.get(indicator__slug="einwohner", district__slug="seehof", year=2024).value == 4812

    token = browser.session["monitoring_import"]["token"]
    stored = browser.post(URL, {"action": "confirm", "token": token}, follow=True)

    assert "2 Werte wurden importiert." in stored.content.decode()
    assert IndicatorValue.objects.get(indicator__slug="einwohner", district__slug="seehof", year=2024).value == 4900
    assert IndicatorValue.objects.get(indicator__slug="kita-kinder", year=2025).value == 205
    # The same preview cannot be stored twice.
    again = browser.post(URL, {"action": "confirm", "token": token}, follow=True)
    assert "Diese Vorschau gilt nicht mehr" in again.content.decode()


def test_one_bad_row_means_no_confirmation_and_an_unchanged_table(logged_in, coordinator, stored_values):
    before = value_table()
    browser = logged_in(coordinator)
    shown = browser.post(
        URL,
        {
            "action": "preview",
            "file": upload("Indikator;Quartier;Jahr;Wert", "einwohner;Seehof;2024;4.900", "einwohner;Atlantis;2024;5"),
        },
    )
    page = shown.content.decode()
    assert "Zeile 3: unbekanntes Quartier „Atlantis“." in page
    assert "Die Datei hat 1 Fehler; es wird nichts importiert." in page
    assert 'value="confirm"' not in page
    assert "monitoring_import" not in browser.session
    for guess in ("geraten", "gerätselt"):
        forged = browser.post(URL, {"action": "confirm", "token": guess}, follow=True)
        assert "Diese Vorschau gilt nicht mehr" in forged.content.decode()
    assert value_table() == before


def test_a_row_gone_wrong_after_the_preview_takes_back_the_rows_before_it(
    coordinator, quarters, indicators, stored_values
):
    """One transaction: the first row is written, the second finds its district deleted, both are undone."""
    seehof, ruhlsdorf, muehlendorf = quarters
    people = indicators[0]
    before = value_table()
    gone = District.objects.create(name="Abgerissen", slug="abgerissen")
    gone_pk = gone.pk
    gone.delete()

    with pytest.raises(services.ValidationError) as caught:
        services.import_values(coordinator, [(people.pk, seehof.pk, 2024, "1"), (people.pk, gone_pk, 2024, "2")])

    assert caught.value.messages == ["Zeile 2 der Vorschau: Indikator oder Quartier gibt es inzwischen nicht mehr."]
    assert value_table() == before
    assert IndicatorValue.objects.get(indicator=people, district=seehof, year=2024).value == Decimal("4812")


def test_only_the_coordination_imports(logged_in, professional, editor, stored_values):
    before = value_table()
    for person in (professional, editor):
        response = logged_in(person).post(
            URL, {"action": "preview", "file": upload("Indikator;Quartier;Jahr;Wert", "einwohner;Seehof;2024;1")}
        )
        assert response.status_code == 403
        assert "Nur die Sozialraumkoordination pflegt das Sozialmonitoring." in response.content.decode()
    assert value_table() == before
