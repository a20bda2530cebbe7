"""The Planungspapier: a one-click draft from the finalised priority list, a web page and a PDF with contents."""

import re

import pytest
from wagtail.models import Page

from planning import paper
from planning.models import Proposal, ProposalEvent
from planning.pages import PlanningPaperPage

from .paper_fixtures import HELD_BACK, RANKED, finalise_year, in_order, pdf_bookmarks, pdf_pages, published_paper

S = Proposal.Status


@pytest.fixture
def finalised(cycle, make_proposal, page_tree):
    return finalise_year(cycle, make_proposal)


def test_the_coordination_creates_a_prefilled_draft_with_one_click(cycle, finalised, logged_in):
    browser = logged_in(cycle.coordinator)
    year_page = browser.get(f"/sozialplanung/{cycle.year.year}/").content.decode()
    assert "Entwurf des Planungspapiers anlegen" in year_page

    response = browser.post(f"/sozialplanung/{cycle.year.year}/planungspapier/neu/")

    draft = PlanningPaperPage.objects.get(planning_year=cycle.year)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert not draft.live and draft.title == f"Planungspapier {cycle.year.year}"
    assert [child.block_type for child in draft.body if child.block_type != "text"] == [
        "heading",
        "heading",
        "priorities",
        "method",
        "heading",
    ]
    assert "Entwurf bearbeiten" in browser.get(f"/sozialplanung/{cycle.year.year}/").content.decode()
    assert browser.get(f"/admin/pages/{draft.pk}/edit/").status_code == 200


def test_a_second_draft_for_the_same_year_is_refused(cycle, finalised, logged_in):
    paper.create_draft(cycle.coordinator, cycle.year)
    response = logged_in(cycle.coordinator).post(f"/sozialplanung/{cycle.year.year}/planungspapier/neu/", follow=True)
    assert "gibt es schon ein Planungspapier" in response.content.decode()
    assert PlanningPaperPage.objects.count() == 1


def test_there_is_no_paper_before_the_priority_list_is_final(cycle, make_proposal, page_tree, logged_in):
    make_proposal(S.IN_BEWERTUNG)
    response = logged_in(cycle.coordinator).post(f"/sozialplanung/{cycle.year.year}/planungspapier/neu/")
    assert response.status_code == 403
    assert "sobald die Prioritätenliste" in response.content.decode()
    assert not PlanningPaperPage.objects.exists()


def test_only_the_coordination_creates_the_draft(cycle, finalised, logged_in):
    response = logged_in(cycle.raters[1]).post(f"/sozialplanung/{cycle.year.year}/planungspapier/neu/")
    assert response.status_code == 403
    assert "legt die Sozialraumkoordination an" in response.content.decode()
    assert not PlanningPaperPage.objects.exists()


def test_publishing_puts_the_prioritised_proposals_before_the_council(cycle, finalised):
    page = published_paper(cycle)

    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert {statuses[title] for title in RANKED} == {S.IM_PLANUNGSPAPIER}
    assert statuses[HELD_BACK] == S.ZURUECKGESTELLT
    event = ProposalEvent.objects.filter(to_status=S.IM_PLANUNGSPAPIER).first()
    assert event.actor == cycle.coordinator and page.title in event.comment


def test_the_web_page_lists_the_priorities_in_rank_order_with_their_details(cycle, finalised, client):
    page = published_paper(cycle)

    html = client.get(page.url).content.decode()

    numbered = [f"{number}. {title}" for number, title in enumerate(RANKED, start=1)]
    body = html[html.index('class="stack paper"') :]
    assert in_order(body, numbered)
    assert HELD_BACK not in html
    assert "Maßnahmen für Zebrastreifen am Schulweg." in html and "FG Kita" in html
    # The table of contents links to every proposal; the method names the criteria and their weights.
    assert f'href="#vorschlag-{finalised[RANKED[0]].pk}"' in html
    assert "Dringlichkeit" in html and "3 von 6" in html
    assert page.pdf_url in html


def test_the_pdf_has_a_title_page_contents_with_page_numbers_and_the_priorities_in_order(cycle, finalised, client):
    page = published_paper(cycle)

    response = client.get(page.pdf_url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert page.title in pages[0] and "Sozialraumnetzwerk Teltow" in pages[0]
    contents = pages[1]
    assert "Inhalt" in contents
    for number, title in enumerate(RANKED, start=1):
        line = re.search(rf"{number}\. {re.escape(title)}[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert line, f"no page number for {title} in the contents:\n{contents}"
        # The number in the contents is the page the proposal's heading stands on.
        assert title in pages[int(line.group(1)) - 1]
    assert in_order("\n".join(pages[2:]), RANKED)
    assert HELD_BACK not in "".join(pages)
    assert re.search(r"Seite 3 von \d+", pages[2])
    bookmarks = pdf_bookmarks(response.content)
    assert in_order("\n".join(bookmarks), ["Einleitung", "Priorisierte Zielvorschläge", f"1. {RANKED[0]}", "Ausblick"])


def test_a_draft_pdf_is_only_for_editors(cycle, finalised, client, logged_in, editor):
    draft = paper.create_draft(cycle.coordinator, cycle.year)

    assert client.get(draft.pdf_url).status_code == 404
    assert logged_in(cycle.raters[1]).get(draft.pdf_url).status_code == 404
    response = logged_in(editor).get(draft.pdf_url)
    assert response.status_code == 200 and RANKED[0] in "".join(pdf_pages(response.content))


def test_the_pdf_follows_a_later_council_decision(cycle, finalised, client):
    page = published_paper(cycle)
    before = "".join(pdf_pages(client.get(page.pdf_url).content))
    assert "DS 7/2026" not in before

    from planning import services

    services.transition_proposal(
        cycle.coordinator, finalised[RANKED[0]], S.BESCHLOSSEN, budget_amount=1000, drucksache="DS 7/2026"
    )
    page.body.append(("decisions", {"heading": "Beschlüsse der SVV", "intro": ""}))
    page.save_revision(user=cycle.coordinator).publish()

    after = "".join(pdf_pages(client.get(Page.objects.get(pk=page.pk).specific.pdf_url).content))
    assert "DS 7/2026" in after and "Beschlüsse der SVV" in after
