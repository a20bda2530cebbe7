"""The tracker keeps each year's section as HTML; whatever changes what a section shows is on the page at once.

Every test first looks at the page (which fills the cache), then changes one kind of data — through the
services where there is one, straight in the tables where an import or the admin might write — and looks
again, in German and in English, with and without filters.
"""

import random
from datetime import date
from decimal import Decimal

import pytest

from network import services as network_services
from network.models import District, NetworkBody, Themenfeld
from planning import services
from planning.models import PlanningYear, Proposal

S = Proposal.Status
TRACKER = "/sozialplanung/ergebnisse/"

# What the English catalogue makes of the German labels these tests look for.
LABELS = {
    "de": {
        S.IM_PLANUNGSPAPIER: "im Planungspapier",
        S.VERTAGT: "von der SVV vertagt",
        S.BESCHLOSSEN: "von der SVV beschlossen",
        "paper": "Drucksache",
        "begonnen": "begonnen",
        "umgesetzt": "umgesetzt",
        "districts": "Quartiere:",
    },
    "en": {
        S.IM_PLANUNGSPAPIER: "in the planning paper",
        S.VERTAGT: "postponed by the city council",
        S.BESCHLOSSEN: "approved by the city council",
        "paper": "Council paper",
        "begonnen": "started",
        "umgesetzt": "implemented",
        "districts": "Districts:",
    },
}


@pytest.fixture(params=["de", "en"])
def language(request, client):
    client.cookies["django_language"] = request.param
    return request.param


@pytest.fixture
def in_paper(cycle, make_proposal):
    """A proposal in this year's planning paper, and one of another year so the page has several sections."""
    older = PlanningYear.objects.create(year=cycle.year.year - 1)
    Proposal.objects.create(
        year=older, body=cycle.schule, title="Schulweg sicher", problem="Bedarf.", goal="Ziel.", status=S.UMGESETZT
    )
    return make_proposal(S.IM_PLANUNGSPAPIER, title="Sprachkita am Ruhlsdorfer Platz")


def page(client, url=TRACKER):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row_of(html, title):
    """The table row of the proposal with this title."""
    start = html.index(title)
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def test_a_council_decision_shows_at_once_with_its_paper_and_amount(cycle, in_paper, client, language):
    labels = LABELS[language]
    before = row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")
    assert labels[S.IM_PLANUNGSPAPIER] in before and labels["paper"] not in before

    services.transition_proposal(
        cycle.coordinator, in_paper, S.BESCHLOSSEN, budget_amount=Decimal("12500"), drucksache="DS 17/26"
    )

    after = row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")
    assert labels[S.BESCHLOSSEN] in after and labels[S.IM_PLANUNGSPAPIER] not in after
    assert f"{labels['paper']} DS 17/26" in after
    assert ("12.500,00" if language == "de" else "12,500.00") in after


def test_a_postponed_proposal_that_the_council_decides_later_shows_the_later_session(cycle, in_paper, client, language):
    labels = LABELS[language]
    services.transition_proposal(
        cycle.coordinator, in_paper, S.VERTAGT, drucksache="DS 3/26", decided_on=date(2026, 3, 5)
    )
    postponed = row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")
    assert labels[S.VERTAGT] in postponed and "DS 3/26" in postponed and "05.03.2026" in postponed

    services.transition_proposal(
        cycle.coordinator, in_paper, S.BESCHLOSSEN, budget_amount=Decimal("0"), drucksache="DS 9/26",
        decided_on=date(2026, 6, 11),
    )  # fmt: skip

    decided = row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")
    assert labels[S.BESCHLOSSEN] in decided and "DS 9/26" in decided and "11.06.2026" in decided
    assert "DS 3/26" not in decided and "05.03.2026" not in decided


def test_a_new_implementation_report_replaces_the_one_shown(cycle, in_paper, client, language):
    labels = LABELS[language]
    services.transition_proposal(
        cycle.coordinator, in_paper, S.BESCHLOSSEN, budget_amount=Decimal(1), drucksache="DS 1"
    )
    services.report_implementation(cycle.coordinator, in_paper, "begonnen", "Die Stelle ist ausgeschrieben.")
    first = row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")
    assert labels["begonnen"] in first and "Die Stelle ist ausgeschrieben." in first

    services.report_implementation(cycle.coordinator, in_paper, "umgesetzt", "Die Fachkraft arbeitet seit März.")

    html = page(client)
    latest = row_of(html, "Sprachkita am Ruhlsdorfer Platz")
    assert f"<strong>{labels['umgesetzt']}</strong>" in latest and "Die Fachkraft arbeitet seit März." in latest
    assert "Die Stelle ist ausgeschrieben." not in latest
    assert f"{labels['umgesetzt']}: 1" in html


def test_a_changed_title_shows_at_once_whether_a_service_or_the_database_changed_it(cycle, in_paper, client, language):
    assert "Sprachkita am Ruhlsdorfer Platz" in page(client)

    services.update_proposal(cycle.coordinator, in_paper, title="Sprachförderung in allen Kitas")
    html = page(client)
    assert "Sprachförderung in allen Kitas" in html and "Sprachkita am Ruhlsdorfer Platz" not in html

    # An import or the admin writes without the services: the page follows all the same.
    Proposal.objects.filter(pk=in_paper.pk).update(title="Sprachförderung in den Kitas der Stadt")
    html = page(client)
    assert "Sprachförderung in den Kitas der Stadt" in html and "Sprachförderung in allen Kitas" not in html


def test_districts_added_and_renamed_show_at_once(cycle, in_paper, client, language, coordinator):
    labels = LABELS[language]
    seehof = District.objects.create(name="Seehof", slug="seehof")
    assert labels["districts"] not in row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")

    services.update_proposal(cycle.coordinator, in_paper, districts=[seehof])
    assert f"{labels['districts']} Seehof" in row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")

    network_services.save_district(coordinator, seehof, name="Seehof-Nord")
    row = row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")
    assert f"{labels['districts']} Seehof-Nord" in row


def test_renamed_themenfeld_and_group_show_at_once(cycle, in_paper, client, language):
    assert "FG Kita" in row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")

    Themenfeld.objects.filter(pk=cycle.themenfeld.pk).update(name="Bildung und Betreuung")
    NetworkBody.objects.filter(pk=cycle.kita.pk).update(name="FG Kindertagesstätten")

    row = row_of(page(client), "Sprachkita am Ruhlsdorfer Platz")
    assert "Bildung und Betreuung" in row and "FG Kindertagesstätten" in row and "FG Kita<" not in row


def test_the_sections_of_one_language_never_appear_in_the_other(cycle, in_paper, client):
    client.cookies["django_language"] = "de"
    assert LABELS["de"][S.IM_PLANUNGSPAPIER] in page(client)

    client.cookies["django_language"] = "en"
    html = page(client)
    assert LABELS["en"][S.IM_PLANUNGSPAPIER] in html and LABELS["de"][S.IM_PLANUNGSPAPIER] not in html
    assert "Social planning" in html


def test_a_visitor_gets_no_links_from_a_section_a_member_saw_first(cycle, in_paper, client):
    client.force_login(cycle.outsider)
    assert f'href="{in_paper.get_absolute_url()}"' in page(client)

    client.logout()
    html = page(client)
    assert "Sprachkita am Ruhlsdorfer Platz" in html and f'href="{in_paper.get_absolute_url()}"' not in html


def test_filtered_pages_follow_changes_too(cycle, in_paper, client, language):
    mitte = District.objects.create(name="Teltow-Mitte", slug="mitte")
    filtered = f"{TRACKER}?quartier=mitte&themenfeld={cycle.themenfeld.slug}"
    assert "Sprachkita am Ruhlsdorfer Platz" not in page(client, filtered)

    services.update_proposal(cycle.coordinator, in_paper, districts=[mitte])
    assert "Sprachkita am Ruhlsdorfer Platz" in page(client, filtered)

    services.transition_proposal(cycle.coordinator, in_paper, S.VERTAGT, drucksache="DS 4/26")
    assert LABELS[language][S.VERTAGT] in row_of(page(client, filtered), "Sprachkita am Ruhlsdorfer Platz")
    services.update_proposal(cycle.coordinator, in_paper, districts=[])
    assert "Sprachkita am Ruhlsdorfer Platz" not in page(client, filtered)


def test_a_year_that_leaves_the_filter_leaves_the_page(cycle, in_paper, client):
    year_url = f"/sozialplanung/{cycle.year.year}/ergebnisse/"
    assert "Sprachkita am Ruhlsdorfer Platz" in page(client, year_url)
    Proposal.objects.filter(pk=in_paper.pk).update(status=S.PRIORISIERT)
    assert "Sprachkita am Ruhlsdorfer Platz" not in page(client, year_url)
    assert "Sprachkita am Ruhlsdorfer Platz" not in page(client)


def many_proposals(cycle, year, count, rng):
    statuses = [S.IM_PLANUNGSPAPIER, S.BESCHLOSSEN, S.ABGELEHNT, S.VERTAGT, S.IN_UMSETZUNG, S.UMGESETZT]
    Proposal.objects.bulk_create(
        Proposal(
            year=year, body=rng.choice([cycle.kita, cycle.schule]), themenfeld=cycle.themenfeld,
            title=f"Vorschlag {year.year}-{n}", problem="Bedarf.", goal="Ziel.", status=rng.choice(statuses),
            drucksache=f"DS {n}/{year.year}", budget_amount=Decimal(rng.randint(0, 50_000)),
        )
        for n in range(count)
    )  # fmt: skip


@pytest.mark.parametrize("url", [TRACKER, f"{TRACKER}?themenfeld=bildung"])
def test_cached_or_not_the_tracker_needs_the_same_queries_for_one_year_as_for_five(
    cycle, client, django_assert_max_num_queries, url
):
    rng = random.Random(14)
    many_proposals(cycle, cycle.year, 5, rng)
    page(client, url)
    with django_assert_max_num_queries(10) as warm_one_year:
        page(client, url)
    budget = len(warm_one_year.captured_queries)
    # A new name in every row: no section is in the cache any more (the site's navigation still is).
    Themenfeld.objects.filter(pk=cycle.themenfeld.pk).update(name="Bildung und Betreuung")
    with django_assert_max_num_queries(budget):
        assert "Bildung und Betreuung" in page(client, url)

    for number in range(1, 5):
        many_proposals(cycle, PlanningYear.objects.create(year=cycle.year.year - number), 20, rng)
    with django_assert_max_num_queries(budget):
        cold = page(client, url)
    with django_assert_max_num_queries(budget):
        warm = page(client, url)
    assert f"Vorschlag {cycle.year.year - 4}-19" in cold
    assert warm.count("<tr>") == cold.count("<tr>") == 5 * 1 + 85
