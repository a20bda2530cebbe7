"""The ranking: secret while the round is open, then aggregated as the page explains."""

import random
import statistics

import pytest

from planning import selectors, services
from planning.models import Proposal, Rating

from .conftest import reload

S = Proposal.Status


@pytest.fixture
def rated(cycle, make_proposal):
    """Three proposals rated by three people with seeded random values; returns them with the raw scores."""
    rng = random.Random(1404)
    proposals = [
        make_proposal(S.IN_BEWERTUNG, title=title, body=body)
        for title, body in [
            ("Familienzentrum Ost", cycle.kita),
            ("Schulhof öffnen", cycle.schule),
            ("Lesepaten", cycle.kita),
        ]
    ]
    raw = {}
    for proposal in proposals:
        for rater in cycle.raters:
            values = {c.pk: rng.randint(c.scale_min, c.scale_max) for c in cycle.criteria}
            services.rate_proposal(rater, proposal, values)
            for pk, value in values.items():
                raw.setdefault((proposal.pk, pk), []).append(value)
    return proposals, raw


def expected_score(cycle, proposal, raw):
    weighted = weights = 0
    for c in cycle.criteria:
        mean = statistics.mean(raw[(proposal.pk, c.pk)])
        weighted += c.weight * 100 * (mean - c.scale_min) / (c.scale_max - c.scale_min)
        weights += c.weight
    return weighted / weights


@pytest.mark.parametrize("who", ["raters", "coordinator", "outsider"])
def test_the_ranking_is_secret_until_the_round_closes(cycle, rated, logged_in, who):
    person = cycle.raters[0] if who == "raters" else getattr(cycle, who)
    response = logged_in(person).get(f"/sozialplanung/{cycle.year.year}/rangliste/")

    assert response.status_code == 403
    assert "Die Bewertungen bleiben geheim" in response.content.decode()


def test_the_proposal_page_shows_no_rating_values_while_the_round_is_open(cycle, rated, logged_in):
    proposals, _raw = rated
    page = logged_in(cycle.coordinator).get(proposals[0].get_absolute_url()).content.decode()
    assert "Ø" not in page and "Gesamtwert" not in page


def test_after_closing_the_ranking_shows_the_documented_aggregation(cycle, rated, logged_in):
    proposals, raw = rated
    services.close_rating_round(cycle.coordinator, cycle.year)

    rows = selectors.ranking(reload(cycle.year))

    expected = sorted(proposals, key=lambda p: -expected_score(cycle, p, raw))
    assert [row.proposal for row in rows] == expected
    for row in rows:
        assert row.score == pytest.approx(expected_score(cycle, row.proposal, raw))
        assert row.raters == 3
        for result in row.results:
            values = raw[(row.proposal.pk, result.criterion.pk)]
            assert result.count == 3
            assert result.mean == pytest.approx(statistics.mean(values))
            assert result.spread == pytest.approx(statistics.pstdev(values))
    # raters[0] sits in FG Kita: counted as a conflict on Kita's proposals only.
    conflicts = {row.proposal.title: row.conflicted_raters for row in rows}
    assert conflicts == {"Familienzentrum Ost": 1, "Schulhof öffnen": 0, "Lesepaten": 1}

    page = logged_in(cycle.outsider).get(f"/sozialplanung/{cycle.year.year}/rangliste/").content.decode()
    assert "So entsteht die Rangliste" in page and "gewichtete Mittelwert" in page
    assert page.index(expected[0].title) < page.index(expected[1].title) < page.index(expected[2].title)
    assert "davon 1 mit Interessenkonflikt" in page


def test_finalising_priorities_moves_proposals_and_tells_the_groups(
    cycle, rated, django_capture_on_commit_callbacks, mailoutbox
):
    proposals, _raw = rated
    services.close_rating_round(cycle.coordinator, cycle.year)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.finalise_priorities(cycle.coordinator, reload(cycle.year), [proposals[1].pk])

    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses == {
        "Familienzentrum Ost": S.ZURUECKGESTELLT,
        "Schulhof öffnen": S.PRIORISIERT,
        "Lesepaten": S.ZURUECKGESTELLT,
    }
    assert proposals[1].events.last().to_status == S.PRIORISIERT
    kita_mail = next(m for m in mailoutbox if cycle.kita_member.email in m.to)
    assert "Prioritätenliste" in kita_mail.subject and "Schulhof öffnen" in kita_mail.body


def test_the_ranking_page_needs_the_same_queries_for_more_proposals(
    cycle, make_proposal, logged_in, django_assert_max_num_queries
):
    browser = logged_in(cycle.outsider)
    url = f"/sozialplanung/{cycle.year.year}/rangliste/"

    def add_rated(count, start):
        # Written directly: the round is closed when the second batch arrives, and the service rightly refuses.
        for number in range(start, start + count):
            proposal = make_proposal(S.IN_BEWERTUNG, title=f"Vorschlag {number}")
            Rating.objects.bulk_create(
                Rating(proposal=proposal, criterion=c, rater=rater, score=c.scale_min + number % 3)
                for rater in cycle.raters
                for c in cycle.criteria
            )

    add_rated(2, 0)
    services.close_rating_round(cycle.coordinator, cycle.year)
    browser.get(url)  # session and caches warm
    with django_assert_max_num_queries(12) as few:
        browser.get(url)
    add_rated(10, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = browser.get(url)
    assert response.status_code == 200
    assert "Vorschlag 11" in response.content.decode()
    assert Rating.objects.count() == 12 * 3 * 3
