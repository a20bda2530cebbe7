"""The planning pages pass axe-core's WCAG 2.1 AA rules in Chromium (helpers of tests/site/test_accessibility.py)."""

import pytest

from planning import paper, services
from planning.models import Proposal
from planning.pages import PlanningPaperIndexPage, PlanningPaperPage

from ..browser_site import BROWSER_CONTEXT, log_in
from ..site.test_accessibility import check_pages, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Proposal.Status


@pytest.fixture
def planning_pages(page_tree, cycle, make_proposal, with_totp):
    """Built before Chromium starts: one proposal of each kind a page shows."""
    with_totp(cycle.coordinator)
    draft = make_proposal(S.ENTWURF, title="Sprachförderung")
    rated = make_proposal(S.IN_BEWERTUNG, title="Familienzentrum Ost")
    decided = make_proposal(S.IM_PLANUNGSPAPIER, title="Schulhof öffnen", body=cycle.schule)
    services.transition_proposal(cycle.coordinator, decided, S.BESCHLOSSEN, budget_amount=48_500, drucksache="DS 1/26")
    services.report_implementation(cycle.coordinator, decided, "begonnen", "Die Planung läuft.")
    services.rate_proposal(cycle.raters[1], rated, {c.pk: c.scale_max for c in cycle.criteria}, "Wichtig.")
    year = cycle.year.year
    # The paper holds the decided proposal (priority list, decisions) and every generated block.
    index = page_tree.home.add_child(instance=PlanningPaperIndexPage(title="Planungspapiere", slug="planungspapiere"))
    paper_page = PlanningPaperPage(
        title=f"Planungspapier {year}",
        slug="planungspapier",
        planning_year=cycle.year,
        body=paper.draft_body(cycle.year),
    )
    index.add_child(instance=paper_page)
    paper_page.save_revision().publish()
    return {
        "visitor": {
            "years": "/sozialplanung/",
            "year": f"/sozialplanung/{year}/",
            "tracker": f"/sozialplanung/{year}/ergebnisse/",
            "tracker-all-years": "/sozialplanung/ergebnisse/?themenfeld=unbekannt",
            "papers": index.url,
            "paper": paper_page.url,
        },
        "member": {
            "proposals": f"/sozialplanung/{year}/vorschlaege/",
            "draft": draft.get_absolute_url(),
            "proposal-form": f"/sozialplanung/{year}/vorschlaege/neu/{cycle.kita.slug}/",
        },
        "rater": {"rating-form": f"/sozialplanung/vorschlaege/{rated.pk}/bewerten/", "rated": rated.get_absolute_url()},
        "coordinator": {
            "manage": f"/sozialplanung/{year}/verwalten/",
            "open-year": "/sozialplanung/neu/",
            "decided": decided.get_absolute_url(),
            "report-form": f"/sozialplanung/vorschlaege/{decided.pk}/umsetzungsstand/",
        },
        "after-close": {"ranking": f"/sozialplanung/{year}/rangliste/"},
    }


def test_the_planning_pages_have_no_wcag_21_aa_violations(
    axe_source, live_server, cycle, planning_pages, chromium, artifacts
):  # noqa: F811
    people = {"visitor": None, "member": cycle.kita_member, "rater": cycle.raters[2], "coordinator": cycle.coordinator}
    found = []
    for role, pages in planning_pages.items():
        if role == "after-close":
            services.close_rating_round(cycle.coordinator, cycle.year)
        context = chromium.new_context(**BROWSER_CONTEXT)
        context.add_init_script(path=str(axe_source))
        person = people.get(role, cycle.outsider)
        if person is not None:
            log_in(context, live_server.url, person)
        page = context.new_page()
        found += check_pages(page, live_server.url, pages, f"planning-{role}", artifacts, "de")
        context.close()
    assert not report(found), report(found)
