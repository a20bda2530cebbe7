"""The public tracker: what was proposed, what the council decided, how far it is implemented."""

import pytest

from planning import services
from planning.models import Proposal

S = Proposal.Status


def decide(cycle, proposal, target=S.BESCHLOSSEN, **decision):
    Proposal.objects.filter(pk=proposal.pk).update(status=S.IM_PLANUNGSPAPIER)
    return services.transition_proposal(cycle.coordinator, proposal, target, **decision)


def test_the_tracker_shows_decided_proposals_to_everyone(cycle, make_proposal, client):
    decided = make_proposal(title="Familienzentrum Ost")
    decide(cycle, decided, budget_amount=48_500, drucksache="DS 117/2026")
    rejected = make_proposal(title="Spielmobil", body=cycle.schule)
    decide(cycle, rejected, S.ABGELEHNT)

    page = client.get(f"/sozialplanung/{cycle.year.year}/ergebnisse/").content.decode()

    assert "Familienzentrum Ost" in page and "DS 117/2026" in page and "48.500,00 Euro" in page
    assert "von der SVV beschlossen" in page
    assert "Spielmobil" in page and "von der SVV abgelehnt" in page
    assert "FG Kita" in page and cycle.themenfeld.name in page


@pytest.mark.parametrize("status", [S.ENTWURF, S.ABGESTIMMT, S.EINGEREICHT, S.IN_BEWERTUNG, S.ZURUECK, S.PRIORISIERT])
def test_proposals_before_the_planning_paper_stay_off_the_tracker(cycle, make_proposal, client, status):
    make_proposal(status, title="Noch intern")
    page = client.get(f"/sozialplanung/{cycle.year.year}/ergebnisse/").content.decode()
    assert "Noch intern" not in page
    assert "noch kein Vorschlag im Planungspapier" in page


def test_the_tracker_needs_the_same_queries_for_more_proposals(
    cycle, make_proposal, client, django_assert_max_num_queries
):
    url = f"/sozialplanung/{cycle.year.year}/ergebnisse/"
    for number in range(3):
        make_proposal(S.UMGESETZT, title=f"Erster {number}")
    client.get(url)
    # The page, the years, the proposals with their reports and Quartiere, and one query per filter's choices.
    with django_assert_max_num_queries(9) as few:
        client.get(url)
    for number in range(30):
        make_proposal(S.IN_UMSETZUNG, title=f"Weiterer {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Weiterer 29" in response.content.decode()
