"""Reads of the planning cycle for pages and for other apps (the newsletter later).

The ranking's aggregation, as the ranking page explains it to its readers:
for each proposal and criterion the ratings give a count, a mean and a spread (the population
standard deviation: how far the raters lie apart). Each mean is placed on its criterion's scale
(0 % at the lowest value, 100 % at the highest), and the proposal's score is the weighted mean
of these percentages with the criteria's weights. Criteria nobody rated do not count.
The list is ordered by score, then by title.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, StdDev, prefetch_related_objects

from core.permissions import Viewer
from network import access
from network.models import District, NetworkBody

from . import workflow
from .models import (
    Phase,
    PlanningYear,
    Proposal,
    ProposalEvent,
    Rating,
    RatingCriterion,
)


def years() -> list[PlanningYear]:
    return list(PlanningYear.objects.prefetch_related("phases"))


def year_for_page(year: int) -> PlanningYear | None:
    return PlanningYear.objects.prefetch_related("phases", "criteria").filter(year=year).first()


def proposals_for(user: Viewer, year: PlanningYear) -> QuerySet[Proposal]:
    """Submitted proposals for every professional; drafts only for their own group and the coordination."""
    proposals = year.proposals.select_related("body", "themenfeld").order_by("body__name", "title")
    if access.is_coordinator(user):
        return proposals
    return proposals.filter(~Q(status__in=workflow.DRAFT_STATUSES) | Q(body_id__in=access.member_body_ids(user)))


def proposal_for_page(pk: int) -> Proposal | None:
    return (
        Proposal.objects.select_related("year", "body", "themenfeld", "created_by")
        .prefetch_related(
            "partners",
            "forum_topics",
            "districts",
            "indicators",
            "year__phases",
            Prefetch("events", queryset=ProposalEvent.objects.select_related("actor")),
            "reports",
        )
        .filter(pk=pk)
        .first()
    )


def criteria_of(year: PlanningYear) -> list[RatingCriterion]:
    return list(year.criteria.all())


def rating_progress(year: PlanningYear) -> dict:
    """How many people rated each proposal so far: no values, so it may show while the round is open."""
    rows = (
        Rating.objects.filter(proposal__year=year)
        .values("proposal_id")
        .annotate(raters=Count("rater_id", distinct=True))
    )
    return {row["proposal_id"]: row["raters"] for row in rows}


@dataclass
class CriterionResult:
    criterion: RatingCriterion
    count: int = 0
    mean: float | None = None
    spread: float | None = None

    @property
    def percent(self) -> float | None:
        if self.mean is None:
            return None
        low, high = self.criterion.scale_min, self.criterion.scale_max
        return 100 * (self.mean - low) / (high - low)


@dataclass
class RankingRow:
    proposal: Proposal
    results: list[CriterionResult] = field(default_factory=list)
    raters: int = 0
    conflicted_raters: int = 0
    score: float | None = None
    rank: int | None = None


def ranking(year: PlanningYear) -> list[RankingRow]:
    """The rated proposals of a year with their aggregated ratings, best first (three queries)."""
    criteria = list(year.criteria.all())
    proposals = list(
        year.proposals.filter(Q(status=Proposal.Status.IN_BEWERTUNG) | Q(ratings__isnull=False))
        .distinct()
        .select_related("body", "themenfeld")
    )
    stats = (
        Rating.objects.filter(proposal__year=year)
        .values("proposal_id", "criterion_id")
        .annotate(count=Count("pk"), mean=Avg("score"), spread=StdDev("score"))
        .order_by()
    )
    by_pair = {(row["proposal_id"], row["criterion_id"]): row for row in stats}
    raters = (
        Rating.objects.filter(proposal__year=year)
        .values("proposal_id")
        .annotate(
            raters=Count("rater_id", distinct=True),
            conflicted=Count("rater_id", distinct=True, filter=Q(conflict_of_interest=True)),
        )
        .order_by()
    )
    raters_by_proposal = {row["proposal_id"]: row for row in raters}
    rows = []
    for proposal in proposals:
        row = RankingRow(proposal=proposal)
        weighted: float = 0
        weights = 0
        for criterion in criteria:
            data = by_pair.get((proposal.pk, criterion.pk))
            result = CriterionResult(criterion)
            if data:
                result.count, result.mean, result.spread = (
                    data["count"],
                    float(data["mean"]),
                    float(data["spread"] or 0),
                )
                weighted += criterion.weight * result.percent  # type: ignore[operator]  # the mean was just set
                weights += criterion.weight
            row.results.append(result)
        if weights:
            row.score = weighted / weights
        counted = raters_by_proposal.get(proposal.pk)
        if counted:
            row.raters, row.conflicted_raters = counted["raters"], counted["conflicted"]
        rows.append(row)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.proposal.title.lower()))
    for number, row in enumerate((r for r in rows if r.score is not None), start=1):
        row.rank = number
    return rows


def public_proposals_in(district: District) -> list[Proposal]:
    """A Quartier's proposals as far as the public tracker shows them, newest year first."""
    return list(
        district.proposals.filter(status__in=workflow.PUBLIC_STATUSES)
        .select_related("year", "body")
        .order_by("-year__year", "title")
    )


def current_phase_for_body(body: NetworkBody) -> tuple[PlanningYear, Phase] | None:
    """The phase of the newest year, for a focus group's page."""
    year = PlanningYear.objects.prefetch_related("phases").first()
    if year is None:
        return None
    phase = year.current_phase()
    return (year, phase) if phase else None


# The finalised priority list: prioritised proposals and those that went on into the paper and the council.
PRIORITISED_STATUSES = frozenset({Proposal.Status.PRIORISIERT}) | workflow.PUBLIC_STATUSES


def priority_list(year: PlanningYear) -> list[RankingRow]:
    """The year's prioritised proposals in the order of the ranking, numbered 1, 2, … (with their partners).

    A proposal the coordination prioritised without ratings comes after the rated ones, by title.
    """
    rows = [row for row in ranking(year) if row.proposal.status in PRIORITISED_STATUSES]
    ranked = {row.proposal.pk for row in rows}
    unrated = (
        year.proposals.filter(status__in=PRIORITISED_STATUSES)
        .exclude(pk__in=ranked)
        .select_related("body", "themenfeld")
        .order_by("title")
    )
    rows += [RankingRow(proposal=proposal) for proposal in unrated]
    prefetch_related_objects([row.proposal for row in rows], "partners")
    for number, row in enumerate(rows, start=1):
        row.rank = number
    return rows
