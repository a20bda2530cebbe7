"""One planning year in Chromium, from the focus groups' proposals to the public tracker.

Two focus groups submit, three members of the Lenkungsrunde rate, the ranking shows only after the
round closes, the coordination finalises, creates the Planungspapier and publishes it in the Wagtail
admin; the PDF lists the prioritised titles in rank order; the council's decision and a report on the
implementation appear on the public tracker. (The conference is walked in its own test.)
"""

import pytest

from planning.models import Proposal
from planning.pages import PlanningPaperPage

from ..browser_site import BROWSER_CONTEXT, log_in
from .paper_fixtures import in_order, pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The Schule proposal gets the higher ratings, so the rank order is not the order of submission.
PROPOSALS = {"kita": "Sprechstunde im Familienzentrum", "schule": "Hausaufgabenhilfe in der Bibliothek"}
SCORES = {"kita": "3", "schule": "5"}


@pytest.fixture
def people(page_tree, cycle, with_totp):
    for person in (cycle.coordinator, cycle.kita_moderator, cycle.schule_moderator):
        with_totp(person)
    return cycle


def browser_for(chromium, live_server, user=None):
    context = chromium.new_context(**BROWSER_CONTEXT)
    if user is not None:
        log_in(context, live_server.url, user)
    return context.new_page()


def submit_proposal(page, base, year, body, title):
    page.goto(f"{base}/sozialplanung/{year}/vorschlaege/neu/{body.slug}/")
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Problem und Belege (Bestandsaufnahme)").fill("Die Bestandsaufnahme zeigt eine Lücke.")
    page.get_by_label("Ziel", exact=True).fill(f"Ziel: {title}.")
    page.get_by_label("Maßnahmen").fill(f"Maßnahmen für {title}.")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="In der Fokusgruppe abgestimmt").click()
    page.get_by_role("button", name="Einreichen").click()
    assert page.get_by_text("Neuer Status: eingereicht.").is_visible()


def test_a_whole_planning_year_in_the_browser(people, live_server, chromium, artifacts):
    cycle, base, year = people, live_server.url, people.year.year
    submit_proposal(browser_for(chromium, live_server, cycle.kita_moderator), base, year, cycle.kita, PROPOSALS["kita"])
    submit_proposal(
        browser_for(chromium, live_server, cycle.schule_moderator), base, year, cycle.schule, PROPOSALS["schule"]
    )
    proposals = {key: Proposal.objects.get(title=title) for key, title in PROPOSALS.items()}

    coordination = browser_for(chromium, live_server, cycle.coordinator)
    for proposal in proposals.values():
        coordination.goto(f"{base}{proposal.get_absolute_url()}")
        coordination.get_by_role("button", name="Zur Bewertung freigeben").click()

    for rater in cycle.raters:
        rating = browser_for(chromium, live_server, rater)
        for key, proposal in proposals.items():
            rating.goto(f"{base}/sozialplanung/vorschlaege/{proposal.pk}/bewerten/")
            for criterion in cycle.criteria:
                group = rating.get_by_role("group", name=criterion.name)
                group.get_by_label(SCORES[key], exact=True).check()
            rating.get_by_role("button", name="Bewertung abgeben").click()
            assert rating.get_by_text("Ihre Bewertung ist gespeichert").is_visible()
        # Secret until the round closes, even for those who rated.
        response = rating.goto(f"{base}/sozialplanung/{year}/rangliste/")
        assert response.status == 403 and rating.get_by_text("bleiben geheim").is_visible()

    coordination.goto(f"{base}/sozialplanung/{year}/verwalten/")
    coordination.get_by_role("button", name="Bewertungsrunde abschließen").click()
    ranking = coordination.locator("table").inner_text()
    assert in_order(ranking, [PROPOSALS["schule"], PROPOSALS["kita"]])
    coordination.goto(f"{base}/sozialplanung/{year}/verwalten/")
    for title in PROPOSALS.values():
        coordination.get_by_label(title).check()
    coordination.get_by_role("button", name="Prioritätenliste festlegen").click()

    coordination.goto(f"{base}/sozialplanung/{year}/")
    coordination.get_by_role("button", name="Entwurf des Planungspapiers anlegen").click()
    coordination.wait_for_url("**/admin/pages/*/edit/")
    coordination.locator("button[name=action-publish]").dispatch_event("click")
    coordination.wait_for_url("**/admin/pages/*/")
    paper = PlanningPaperPage.objects.get(planning_year=cycle.year)
    assert paper.live
    coordination.screenshot(path=artifacts / "planning-year-walk-admin.png")

    visitor = browser_for(chromium, live_server)
    visitor.goto(f"{base}{paper.url}")
    assert in_order(visitor.locator("main").inner_text(), [f"1. {PROPOSALS['schule']}", f"2. {PROPOSALS['kita']}"])
    pdf = visitor.request.get(f"{base}{paper.pdf_url}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    pages = pdf_pages(pdf.body())
    assert in_order("\n".join(pages[2:]), [PROPOSALS["schule"], PROPOSALS["kita"]])

    decided = proposals["schule"]
    coordination.goto(f"{base}{decided.get_absolute_url()}")
    coordination.get_by_label("Bewilligte Mittel (Euro)").fill("24000")
    coordination.get_by_label("Drucksachen-Nr.").fill("DS 88/2026")
    coordination.get_by_label("Sitzung der SVV am").fill(f"{year}-06-18")
    coordination.get_by_role("button", name="Beschluss der SVV eintragen").click()
    coordination.get_by_role("link", name="Umsetzungsstand berichten").click()
    coordination.get_by_label("Umsetzungsstand").select_option("begonnen")
    coordination.get_by_label("Kurzbericht").fill("Die Bibliothek hat zwei Nachmittage eingerichtet.")
    coordination.get_by_role("button", name="Bericht speichern").click()

    visitor.goto(f"{base}/sozialplanung/ergebnisse/")
    tracker = visitor.locator("main").inner_text()
    assert "Drucksache DS 88/2026" in tracker and "24.000,00 Euro" in tracker and f"18.06.{year}" in tracker
    assert "Die Bibliothek hat zwei Nachmittage eingerichtet." in tracker
    assert PROPOSALS["kita"] in tracker and "im Planungspapier" in tracker
    visitor.screenshot(path=artifacts / "planning-year-walk-tracker.png", full_page=True)
