"""Umsetzungsstand: the coordination reports on decided proposals; the public tracker shows the latest report."""

import pytest

from core.permissions import PermissionDenied
from planning import services
from planning.models import ImplementationReport, Proposal
from planning.privacy import export_personal_data

S = Proposal.Status


def test_the_coordination_reports_and_the_tracker_shows_the_latest_state(cycle, make_proposal, logged_in, client):
    proposal = make_proposal(S.BESCHLOSSEN, title="Familienzentrum Ost")
    browser = logged_in(cycle.coordinator)
    browser.post(
        f"/sozialplanung/vorschlaege/{proposal.pk}/umsetzungsstand/",
        {"state": "geplant", "text": "Räume gesucht.", "reported_on": "2026-03-01"},
    )
    response = browser.post(
        f"/sozialplanung/vorschlaege/{proposal.pk}/umsetzungsstand/",
        {"state": "begonnen", "text": "Eröffnet im Mai.", "reported_on": "2026-06-01"},
    )

    assert response.status_code == 302
    tracker = client.get(f"/sozialplanung/{cycle.year.year}/ergebnisse/").content.decode()
    assert "Eröffnet im Mai." in tracker and "Stand 01.06.2026" in tracker
    assert "Räume gesucht." not in tracker
    detail = browser.get(proposal.get_absolute_url()).content.decode()
    assert "Räume gesucht." in detail and "Eröffnet im Mai." in detail


@pytest.mark.parametrize("status", [S.EINGEREICHT, S.IM_PLANUNGSPAPIER, S.ABGELEHNT])
def test_there_is_no_report_before_the_council_said_yes(cycle, make_proposal, status):
    proposal = make_proposal(status)
    with pytest.raises(PermissionDenied) as refusal:
        services.report_implementation(cycle.coordinator, proposal, "begonnen", "Text")
    assert "erst berichtet" in str(refusal.value)
    assert not ImplementationReport.objects.exists()


def test_only_the_coordination_reports(cycle, make_proposal, logged_in):
    proposal = make_proposal(S.BESCHLOSSEN)
    response = logged_in(cycle.kita_moderator).post(
        f"/sozialplanung/vorschlaege/{proposal.pk}/umsetzungsstand/", {"state": "begonnen", "text": "Text"}
    )
    assert response.status_code == 403
    assert "berichtet die Sozialraumkoordination" in response.content.decode()
    assert not ImplementationReport.objects.exists()


def test_the_personal_data_download_holds_the_persons_ratings_and_steps(cycle, make_proposal, logged_in):
    proposal = make_proposal(S.IN_BEWERTUNG)
    services.rate_proposal(cycle.raters[1], proposal, {c.pk: c.scale_min for c in cycle.criteria}, "Knapp.")

    data = export_personal_data(cycle.raters[1])

    assert {r["criterion"] for r in data["ratings"]} == {c.name for c in cycle.criteria}
    assert data["ratings"][0]["comment"] == "Knapp."
    assert export_personal_data(cycle.raters[2])["ratings"] == []
