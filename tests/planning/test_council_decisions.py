"""The coordination records the council's decision per proposal: beschlossen, abgelehnt or vertagt, with date."""

import datetime

from planning import services
from planning.models import Proposal

S = Proposal.Status


def test_a_decision_records_budget_drucksache_and_the_session_through_the_page(cycle, make_proposal, logged_in, client):
    proposal = make_proposal(S.IM_PLANUNGSPAPIER, title="Familienzentrum Ost")
    browser = logged_in(cycle.coordinator)
    form = browser.get(proposal.get_absolute_url()).content.decode()
    assert "Sitzung der SVV am" in form and "Bewilligte Mittel" in form

    browser.post(
        f"/sozialplanung/vorschlaege/{proposal.pk}/status/",
        {"target": S.BESCHLOSSEN, "budget_amount": "48500,00", "drucksache": "DS 117/2026", "decided_on": "2026-03-12"},
    )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.budget_amount, proposal.drucksache) == (S.BESCHLOSSEN, 48_500, "DS 117/2026")
    assert proposal.decided_on == datetime.date(2026, 3, 12)
    page = browser.get(proposal.get_absolute_url()).content.decode()
    assert "von der SVV beschlossen, Drucksache DS 117/2026, 48.500,00 Euro, 12.03.2026" in page


def test_a_rejection_keeps_its_session_and_drucksache(cycle, make_proposal):
    proposal = make_proposal(S.IM_PLANUNGSPAPIER)
    services.transition_proposal(
        cycle.coordinator, proposal, S.ABGELEHNT, drucksache="DS 9/2026", decided_on=datetime.date(2026, 2, 1)
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.drucksache, proposal.decided_on) == (
        S.ABGELEHNT,
        "DS 9/2026",
        datetime.date(2026, 2, 1),
    )
    assert proposal.budget_amount is None


def test_a_postponed_proposal_carries_the_date_of_the_session_that_finally_decided(cycle, make_proposal, client):
    proposal = make_proposal(S.IM_PLANUNGSPAPIER, title="Pflegelotsen")
    services.transition_proposal(cycle.coordinator, proposal, S.VERTAGT, decided_on=datetime.date(2026, 2, 1))
    proposal.refresh_from_db()
    assert proposal.decided_on == datetime.date(2026, 2, 1) and proposal.drucksache == ""

    services.transition_proposal(
        cycle.coordinator,
        proposal,
        S.BESCHLOSSEN,
        budget_amount=15_000,
        drucksache="DS 30/2026",
        decided_on=datetime.date(2026, 4, 20),
    )

    proposal.refresh_from_db()
    assert (proposal.decided_on, proposal.drucksache) == (datetime.date(2026, 4, 20), "DS 30/2026")
    tracker = client.get("/sozialplanung/ergebnisse/").content.decode()
    assert "Pflegelotsen" in tracker and "DS 30/2026" in tracker and "20.04.2026" in tracker
    assert [e.to_status for e in proposal.events.all()][-2:] == [S.VERTAGT, S.BESCHLOSSEN]
