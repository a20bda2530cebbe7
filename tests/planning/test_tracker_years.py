"""The public tracker across the years, filtered by year and Themenfeld, with constant queries."""

import random

import pytest

from network.models import Themenfeld
from planning import services
from planning.models import ImplementationReport, PlanningYear, Proposal
from planning.tracker import TrackerFilter, add_tracker_filter, tracker_filters

S = Proposal.Status


def past_year(cycle, number, proposals=3, themenfeld=None):
    """A year with proposals in the planning paper and beyond, written straight into the tables."""
    year = PlanningYear.objects.create(year=number)
    rng = random.Random(number)
    for index in range(proposals):
        proposal = Proposal.objects.create(
            year=year,
            body=cycle.kita if index % 2 else cycle.schule,
            themenfeld=themenfeld or cycle.themenfeld,
            title=f"Vorschlag {number}-{index}",
            problem="Bedarf.",
            goal="Ziel.",
            status=rng.choice([S.BESCHLOSSEN, S.IN_UMSETZUNG, S.ABGELEHNT, S.UMGESETZT]),
            drucksache=f"DS {index}/{number}",
        )
        if proposal.status in (S.IN_UMSETZUNG, S.UMGESETZT):
            ImplementationReport.objects.create(proposal=proposal, state="begonnen", text=f"Bericht {number}-{index}")
    return year


def test_the_tracker_shows_every_year_with_its_decisions_and_reports(cycle, client):
    past_year(cycle, 2023)
    past_year(cycle, 2024)

    page = client.get("/sozialplanung/ergebnisse/").content.decode()

    assert "Sozialplanung 2024" in page and "Sozialplanung 2023" in page
    assert page.index("Sozialplanung 2024") < page.index("Sozialplanung 2023")
    assert "Vorschlag 2023-2" in page and "DS 2/2023" in page
    assert "Vorschlag 2024-0" in page


def test_the_tracker_narrows_to_a_year_and_a_themenfeld(cycle, client):
    gesundheit = Themenfeld.objects.create(name="Gesundheit und Pflege", slug="gesundheit")
    past_year(cycle, 2023)
    past_year(cycle, 2024, themenfeld=gesundheit)

    one_year = client.get("/sozialplanung/ergebnisse/?jahr=2023").content.decode()
    assert "Vorschlag 2023-0" in one_year and "Vorschlag 2024-0" not in one_year

    one_field = client.get("/sozialplanung/ergebnisse/?themenfeld=gesundheit").content.decode()
    assert "Vorschlag 2024-1" in one_field and "Vorschlag 2023-1" not in one_field


def test_an_unknown_filter_value_is_explained_and_everything_shown(cycle, client):
    past_year(cycle, 2023)
    response = client.get("/sozialplanung/ergebnisse/?jahr=1999&themenfeld=%3Cscript%3E")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Diese Auswahl gibt es nicht; gezeigt wird alles." in page
    assert "Vorschlag 2023-0" in page and "<script>" not in page


def test_a_registered_filter_joins_the_form_and_narrows_the_list(cycle, client, monkeypatch):
    past_year(cycle, 2023)
    monkeypatch.setattr("planning.tracker._FILTERS", tracker_filters())
    add_tracker_filter(
        TrackerFilter(
            "gruppe",
            "Gruppe",
            lambda: [(cycle.kita.slug, cycle.kita.name)],
            lambda proposals, value: proposals.filter(body__slug=value),
        )
    )

    page = client.get(f"/sozialplanung/ergebnisse/?gruppe={cycle.kita.slug}").content.decode()

    assert 'name="gruppe"' in page
    assert "Vorschlag 2023-1" in page and "Vorschlag 2023-0" not in page


@pytest.mark.parametrize("url", ["/sozialplanung/ergebnisse/", "/sozialplanung/ergebnisse/?themenfeld=bildung"])
def test_the_tracker_needs_the_same_queries_for_one_year_as_for_five(cycle, client, django_assert_max_num_queries, url):
    past_year(cycle, 2020, proposals=5)
    client.get(url)
    with django_assert_max_num_queries(12) as one_year:
        client.get(url)
    for number in range(2021, 2025):
        past_year(cycle, number, proposals=20)
    with django_assert_max_num_queries(len(one_year.captured_queries)):
        response = client.get(url)
    assert "Vorschlag 2024-19" in response.content.decode()


def test_the_paper_decisions_reach_the_tracker_of_the_year(cycle, make_proposal, client):
    proposal = make_proposal(S.IM_PLANUNGSPAPIER, title="Sprachkita")
    services.transition_proposal(cycle.coordinator, proposal, S.BESCHLOSSEN, budget_amount=10, drucksache="DS 5/26")
    services.report_implementation(cycle.coordinator, proposal, "begonnen", "Die Stelle ist besetzt.")
    page = client.get(f"/sozialplanung/{cycle.year.year}/ergebnisse/").content.decode()
    assert "Sprachkita" in page and "DS 5/26" in page and "Die Stelle ist besetzt." in page
    assert "Umsetzung begonnen: 1" in page
