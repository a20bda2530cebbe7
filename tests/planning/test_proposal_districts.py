"""A proposal names its Quartiere and cites indicators of the Sozialmonitoring in its Bestandsaufnahme;
the tracker filters by Quartier."""

from decimal import Decimal

import pytest

from monitoring.models import Indicator, IndicatorValue
from planning.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def seehof_and_mitte(make_district):
    return make_district("Seehof", slug="seehof"), make_district("Teltow-Mitte", slug="mitte")


@pytest.fixture
def kita_places(seehof_and_mitte):
    seehof, mitte = seehof_and_mitte
    indicator = Indicator.objects.create(name="Kinder unter 6 Jahren", slug="kinder-u6", unit="Kinder")
    for district, values in ((seehof, (410, 452)), (mitte, (620, 611))):
        for year, value in zip((2024, 2025), values):
            IndicatorValue.objects.create(indicator=indicator, district=district, year=year, value=Decimal(value))
    return indicator


def test_a_group_names_quartiere_and_cites_indicators_in_its_proposal(cycle, logged_in, seehof_and_mitte, kita_places):
    seehof, mitte = seehof_and_mitte
    browser = logged_in(cycle.kita_member)
    response = browser.post(
        f"/sozialplanung/{cycle.year.year}/vorschlaege/neu/{cycle.kita.slug}/",
        {
            "title": "Kita-Plätze in Seehof",
            "problem": "Die Zahl der Kinder unter 6 Jahren steigt.",
            "goal": "Eine neue Kita-Gruppe.",
            "districts": [seehof.pk],
            "indicators": [kita_places.pk],
        },
    )
    proposal = Proposal.objects.get(title="Kita-Plätze in Seehof")
    assert response.status_code == 302
    assert list(proposal.districts.all()) == [seehof] and list(proposal.indicators.all()) == [kita_places]

    page = browser.get(proposal.get_absolute_url()).content.decode()
    assert '<a href="/netzwerk/quartiere/seehof/">Seehof</a>' in page
    assert "Belege aus dem Sozialmonitoring" in page
    assert "Kinder unter 6 Jahren (Kinder)" in page and "452" in page and "+42 (+10,2 %)" in page

    edit = browser.get(f"/sozialplanung/vorschlaege/{proposal.pk}/bearbeiten/").content.decode()
    assert f'value="{seehof.pk}" id="id_districts_0" checked' in edit


def test_the_tracker_filters_by_quartier(cycle, make_proposal, client, seehof_and_mitte):
    seehof, mitte = seehof_and_mitte
    in_seehof = make_proposal(Proposal.Status.BESCHLOSSEN, title="Spielplatz Seehof", districts=[seehof])
    make_proposal(Proposal.Status.BESCHLOSSEN, title="Seniorentreff Mitte", districts=[mitte])

    everything = client.get(f"/sozialplanung/{cycle.year.year}/ergebnisse/").content.decode()
    assert "Spielplatz Seehof" in everything and "Seniorentreff Mitte" in everything
    filtered = client.get(f"/sozialplanung/{cycle.year.year}/ergebnisse/?quartier=seehof").content.decode()
    assert "Spielplatz Seehof" in filtered and "Seniorentreff Mitte" not in filtered
    assert "Quartiere: Seehof" in filtered
    assert in_seehof.districts.get() == seehof


def test_a_district_page_lists_its_public_proposals_only(cycle, make_proposal, client, seehof_and_mitte):
    seehof, _mitte = seehof_and_mitte
    make_proposal(Proposal.Status.BESCHLOSSEN, title="Spielplatz Seehof", districts=[seehof])
    make_proposal(Proposal.Status.ENTWURF, title="Geheimer Entwurf", districts=[seehof])

    page = client.get("/netzwerk/quartiere/seehof/").content.decode()

    assert "Zielvorschläge für dieses Quartier" in page
    assert f'href="/sozialplanung/{cycle.year.year}/ergebnisse/?quartier=seehof">Spielplatz Seehof</a>' in page
    assert "Geheimer Entwurf" not in page
