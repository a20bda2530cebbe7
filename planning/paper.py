"""The Planungspapier: what its generated blocks show, its table of contents, the draft the coordination
creates with one click, the PDF, and what publishing it does to the proposals.

`PaperContent` is handed to the page and PDF templates as `paper` (`{% planning_paper page as paper %}`);
each property runs its queries once, however many blocks read it.
"""

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.models import HomePage
from core import pdf
from network.models import User

from . import permissions, selectors, workflow
from .models import PlanningYear, Proposal, ProposalEvent
from .pages import PlanningPaperIndexPage, PlanningPaperPage

S = Proposal.Status
PDF_CACHE_SECONDS = 24 * 60 * 60


@dataclass
class TocEntry:
    anchor: str
    text: str
    level: int  # 1: chapter, 2: section or proposal


def block_anchor(block_id: str) -> str:
    return f"abschnitt-{block_id}"


def proposal_anchor(proposal: Proposal) -> str:
    return f"vorschlag-{proposal.pk}"


class PaperContent:
    def __init__(self, page: PlanningPaperPage):
        self.page = page
        self.year: PlanningYear = page.planning_year

    @cached_property
    def priorities(self) -> list[selectors.RankingRow]:
        return selectors.priority_list(self.year)

    @cached_property
    def criteria(self) -> list:
        return selectors.criteria_of(self.year)

    @cached_property
    def total_weight(self) -> int:
        return sum(criterion.weight for criterion in self.criteria)

    @cached_property
    def decisions(self) -> list[Proposal]:
        """The proposals the paper put before the council, in the order of the priority list."""
        return [row.proposal for row in self.priorities if row.proposal.status in workflow.PUBLIC_STATUSES]

    @cached_property
    def toc(self) -> list[TocEntry]:
        entries = []
        for child in self.page.body:
            anchor = block_anchor(child.id)
            if child.block_type == "heading":
                entries.append(TocEntry(anchor, child.value["text"], 1 if child.value["level"] == "h2" else 2))
            elif child.block_type in ("priorities", "method", "decisions"):
                entries.append(TocEntry(anchor, child.value["heading"], 1))
                if child.block_type == "priorities":
                    entries += [
                        TocEntry(proposal_anchor(row.proposal), f"{number}. {row.proposal.title}", 2)
                        for number, row in enumerate(self.priorities, start=1)
                    ]
        return entries


def paper_for_year(year: PlanningYear, *, live_only: bool = True) -> PlanningPaperPage | None:
    papers = PlanningPaperPage.objects.filter(planning_year=year).order_by("pk")
    if live_only:
        papers = papers.live().public()
    return papers.first()


# --- the draft -----------------------------------------------------------------------------


def _text(html: str) -> dict:
    return {"type": "text", "value": html}


def _heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def _generated(kind: str, heading: str, intro: str = "") -> dict:
    return {"type": kind, "value": {"heading": heading, "intro": intro}}


def draft_body(year: PlanningYear) -> list[dict]:
    """What a new paper starts with: the generated parts in place, the free sections with a hint to replace."""
    body = [
        _heading(_("Einleitung")),
        _text(
            _(
                "<p>[Bitte ersetzen] Wozu dieses Papier dient: Die Lenkungsrunde Sozialplanung legt der "
                "Stadtverordnetenversammlung die Ergebnisse des Planungsjahres %(year)s vor.</p>"
            )
            % {"year": year.year}
        ),
        _heading(_("Ausgangslage und Sozialmonitoring")),
        _text(
            _("<p>[Bitte ersetzen] Was die Bestandsaufnahme der Fokusgruppen und die Zahlen der Quartiere zeigen.</p>")
        ),
        _generated(
            "priorities",
            _("Priorisierte Zielvorschläge"),
            _("<p>Die Lenkungsrunde empfiehlt die folgenden Zielvorschläge in dieser Reihenfolge.</p>"),
        ),
        _generated("method", _("Bewertungsverfahren")),
    ]
    if year.proposals.filter(status__in=workflow.DECIDED_STATUSES).exists():
        body.append(_generated("decisions", _("Beschlüsse der Stadtverordnetenversammlung")))
    body += [
        _heading(_("Ausblick")),
        _text(_("<p>[Bitte ersetzen] Wie es weitergeht und wann über die Umsetzung berichtet wird.</p>")),
    ]
    return body


def _index_page() -> PlanningPaperIndexPage:
    index = PlanningPaperIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        raise ValidationError(_("Es gibt noch keine Startseite, unter der die Planungspapiere stehen könnten."))
    index = PlanningPaperIndexPage(title=_("Planungspapiere"), slug="planungspapiere")
    home.add_child(instance=index)
    return index


@transaction.atomic
def create_draft(actor: User, year: PlanningYear) -> PlanningPaperPage:
    """An unpublished paper for the year, prefilled; the editors finish it in the Wagtail admin."""
    PlanningYear.objects.select_for_update().filter(pk=year.pk).first()
    permissions.check_create_paper(actor, year)
    if paper_for_year(year, live_only=False) is not None:
        raise ValidationError(
            _("Für das Planungsjahr %(year)s gibt es schon ein Planungspapier.") % {"year": year.year}
        )
    page = PlanningPaperPage(
        title=_("Planungspapier %(year)s") % {"year": year.year},
        slug=slugify(f"planungspapier-{year.year}"),
        subtitle=_("Vorlage der Lenkungsrunde Sozialplanung für die Stadtverordnetenversammlung"),
        planning_year=year,
        body=draft_body(year),
        live=False,
        owner=actor,
    )
    _index_page().add_child(instance=page)
    page.save_revision(user=actor)
    return page


# --- publishing ----------------------------------------------------------------------------


@transaction.atomic
def take_priorities_into_paper(page: PlanningPaperPage, actor: User | None) -> list[Proposal]:
    """Publishing the paper puts the year's prioritised proposals before the council ("im Planungspapier").

    Wagtail's page permissions decided who may publish; this records the consequence with a history row
    per proposal, as the workflow's step "Ins Planungspapier aufnehmen" would.
    """
    proposals = list(Proposal.objects.select_for_update().filter(year_id=page.planning_year_id, status=S.PRIORISIERT))
    now = timezone.now()
    comment = _("Mit dem Planungspapier „%(title)s“ veröffentlicht.") % {"title": page.title}
    for proposal in proposals:
        proposal.status, proposal.updated_at = S.IM_PLANUNGSPAPIER, now
    Proposal.objects.bulk_update(proposals, ["status", "updated_at"])
    ProposalEvent.objects.bulk_create(
        ProposalEvent(
            proposal=proposal,
            from_status=S.PRIORISIERT,
            to_status=S.IM_PLANUNGSPAPIER,
            actor=actor,
            comment=comment,
            created_at=now,
        )
        for proposal in proposals
    )
    return proposals


def on_page_published(sender: Any, instance: Page, revision: Any = None, **kwargs: Any) -> None:
    if isinstance(instance, PlanningPaperPage):
        take_priorities_into_paper(instance, getattr(revision, "user", None))


# --- the PDF -------------------------------------------------------------------------------


def page_for_pdf(request: HttpRequest, page: PlanningPaperPage) -> PlanningPaperPage:
    """The published paper for its readers; the latest draft for the editors (checked here)."""
    public = page.live and all(r.accept_request(request) for r in page.get_view_restrictions())
    if public:
        return page
    permissions.check_see_paper_draft(request.user)
    return page.get_latest_revision_as_object()


def _data_stamp(year: PlanningYear) -> str:
    """Changes whenever a proposal of the year changes: a cached PDF never shows an old decision."""
    seen = year.proposals.aggregate(last=Max("updated_at"), count=Count("pk"))
    return f"{seen['count']}-{seen['last'].timestamp() if seen['last'] else 0}"


def paper_pdf(page: PlanningPaperPage) -> bytes:
    """The PDF, cached per page revision and state of the year's proposals."""
    revision = page.latest_revision_id if not page.live else page.live_revision_id
    key = f"planning:paper-pdf:{page.pk}:{revision}:{_data_stamp(page.planning_year)}"
    return cache.get_or_set(key, lambda: render_pdf(page), PDF_CACHE_SECONDS)


def render_pdf(page: PlanningPaperPage) -> bytes:
    return pdf.render_pdf("planning/paper/paper_pdf.html", {"page": page, "paper": PaperContent(page)})


def pdf_filename(page: PlanningPaperPage) -> str:
    return f"{slugify(page.title) or 'planungspapier'}.pdf"
