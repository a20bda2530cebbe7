"""The demo's Quartiere and Sozialmonitoring: approximate outlines on the map, invented values marked as such,
organisations and proposals linked to Quartiere."""

import pytest
from django.core.management import call_command

from monitoring.models import Indicator, IndicatorValue
from network.models import District
from planning.models import Proposal


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_teltow_s_districts_with_approximate_outlines_and_their_organisations(seeded, client):
    districts = District.objects.all()
    assert {d.name for d in districts} >= {
        "Teltow-Mitte/Altstadt",
        "Teltow-Seehof",
        "Ruhlsdorf",
        "Sigridshorst",
        "Mühlendorf",
    }
    assert all(d.outline and d.outline_is_approximate for d in districts)
    assert all(d.organisations.exists() for d in districts)
    page = client.get("/netzwerk/quartiere/").content.decode()
    assert page.count('class="district-shape district-colour') == len(districts)
    assert "Die Umrisse sind ungefähr eingezeichnet (Beispieldaten)" in page
    network_map = client.get("/netzwerk/netzwerkkarte/?quartier=ruhlsdorf").content.decode()
    assert "Grundschule Ruhlsdorfer Feld" in network_map and "Gesamtschule Seehof" not in network_map


def test_the_demo_indicators_cover_three_years_and_say_they_are_invented(seeded, client):
    indicators = Indicator.objects.all()
    assert 6 <= indicators.count() <= 8 and all(i.is_example for i in indicators)
    assert IndicatorValue.objects.values("year").distinct().count() == 3
    assert IndicatorValue.objects.count() == indicators.count() * District.objects.count() * 3
    page = client.get("/sozialmonitoring/").content.decode()
    assert "Beispielwerte, frei erfunden." in page and "Veränderung zum Vorjahr" in page
    assert page.count('class="chart chart--bars"') == indicators.count()


def test_the_demo_proposals_name_their_districts_and_cite_indicators(seeded):
    proposal = Proposal.objects.get(title="Neuer Jugendtreff im Ortsteil Ruhlsdorf")
    assert [d.name for d in proposal.districts.all()] == ["Ruhlsdorf"]
    assert Proposal.objects.filter(indicators__isnull=False).distinct().count() >= 5


def test_seeding_again_changes_no_district_or_value(seeded):
    before = sorted(IndicatorValue.objects.values_list("indicator__slug", "district__slug", "year", "value"))
    call_command("seed_demo", verbosity=0)
    assert sorted(IndicatorValue.objects.values_list("indicator__slug", "district__slug", "year", "value")) == before
    assert District.objects.count() == 5
