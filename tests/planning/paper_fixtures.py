"""A planning year up to its finalised priority list, and its Planungspapier (shared by the paper tests)."""

import io

from pypdf import PdfReader

from planning import paper, services
from planning.models import Proposal

S = Proposal.Status

# Rank order; the titles run against the alphabet, so an order by title would show.
RANKED = ["Zebrastreifen am Schulweg", "Mittagstisch für Schulkinder", "Abendsprechstunde für Eltern"]
HELD_BACK = "Bolzplatz sanieren"


def finalise_year(cycle, make_proposal):
    """Four proposals rated by the three raters; the best three prioritised, the last held back."""
    proposals = {}
    for number, title in enumerate([*RANKED, HELD_BACK]):
        body = cycle.kita if number % 2 == 0 else cycle.schule
        proposal = make_proposal(S.IN_BEWERTUNG, title=title, body=body, measures=f"Maßnahmen für {title}.")
        proposals[title] = proposal
        for rater in cycle.raters:
            # The best gets the top of every scale, each next one a step lower.
            services.rate_proposal(rater, proposal, {c.pk: c.scale_max - number for c in cycle.criteria})
    services.close_rating_round(cycle.coordinator, cycle.year)
    services.finalise_priorities(cycle.coordinator, cycle.year, [proposals[t].pk for t in RANKED])
    cycle.year.refresh_from_db()
    return proposals


def published_paper(cycle):
    page = paper.create_draft(cycle.coordinator, cycle.year)
    page.save_revision(user=cycle.coordinator).publish(user=cycle.coordinator)
    page.refresh_from_db()
    return page


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_bookmarks(content: bytes) -> list[str]:
    """The titles of the PDF's outline (bookmarks), depth first."""

    def walk(items):
        for item in items:
            yield from walk(item) if isinstance(item, list) else [item.title]

    return list(walk(PdfReader(io.BytesIO(content)).outline))


def in_order(text: str, titles: list[str]) -> bool:
    positions = [text.find(title) for title in titles]
    return -1 not in positions and positions == sorted(positions)
