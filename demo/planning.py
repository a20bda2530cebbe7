"""The demo planning cycle from data/planning.yaml: last year's finished round with the council's decisions
and their implementation, and this year's round in the Bewertung phase.

Rows are written with the models, as demo/forum.py does: the history must lie in the past (services stamp
every step with "now") and `planning.services` mails the groups on every step. Each proposal still walks
the steps of planning/workflow.py one by one, so its ProposalEvent history is one the app could have made.
A year is keyed on its number: one that exists is left alone, so a second run changes nothing.
"""

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from cms.models import HomePage
from network.models import Membership, NetworkBody, User
from planning import paper, permissions, workflow
from planning.models import ImplementationReport, Phase, PlanningYear, Proposal, ProposalEvent, Rating, RatingCriterion
from planning.pages import PlanningPaperIndexPage, PlanningPaperPage

from .data import days_from_today, load
from .pages import child_page

S = Proposal.Status
SUBMITTED = [S.ENTWURF, S.ABGESTIMMT, S.EINGEREICHT]
# The council's decision, reached from the planning paper (and on to the implementation).
OUTCOME_STEPS = {
    S.UMGESETZT: [S.BESCHLOSSEN, S.IN_UMSETZUNG, S.UMGESETZT],
    S.IN_UMSETZUNG: [S.BESCHLOSSEN, S.IN_UMSETZUNG],
    S.ABGELEHNT: [S.ABGELEHNT],
    S.VERTAGT: [S.VERTAGT],
}


def data():
    return load("planning")


def _at(days, hour=10):
    return timezone.make_aware(datetime.combine(days_from_today(days), time(hour)))


class History:
    """Moves a proposal through the workflow, one allowed step at a time, writing each step's event."""

    def __init__(self, proposal):
        self.proposal = proposal

    def step(self, target, actor, at, comment=""):
        source = self.proposal.status
        if source and workflow.transition(source, target) is None:
            raise ValueError(f"demo/data/planning.yaml: {self.proposal.title}: no step {source} → {target}")
        ProposalEvent.objects.create(
            proposal=self.proposal, from_status=source, to_status=target, actor=actor, comment=comment, created_at=at
        )
        self.proposal.status, self.proposal.updated_at = target, at


def _moderator(body):
    return (
        Membership.objects.filter(body=body, role=Membership.Role.MODERATOR)
        .select_related("user")
        .order_by("user__email")
        .first()
        .user
    )


def _year(number, source, coordination):
    opened = _at(source["phases"]["bestandsaufnahme"][0] - 14)
    year = PlanningYear.objects.create(year=number, created_by=coordination, created_at=opened)
    phases = {}
    for kind, (start, end) in source["phases"].items():
        phases[kind] = Phase.objects.create(
            year=year, kind=kind, starts_on=days_from_today(start), ends_on=days_from_today(end)
        )
    criteria = [
        RatingCriterion.objects.create(year=year, sort_order=order, scale_min=1, scale_max=5, **criterion)
        for order, criterion in enumerate(data()["criteria"])
    ]
    return year, source["phases"], criteria


def _proposal(year, item, phases, number, coordination):
    """Create the proposal and take it as far as `eingereicht` or `in_bewertung` (or leave it a draft)."""
    body = NetworkBody.objects.get(slug=item["body"])
    moderator = _moderator(body)
    author = User.objects.get(email=item["author"]) if "author" in item else moderator
    start, end = phases["zielvorschlaege"]
    created = _at(start + 2 + 3 * number, 9)
    proposal = Proposal.objects.create(
        year=year,
        body=body,
        title=item["title"],
        themenfeld=body.themenfeld,
        problem=f"{item['problem'].strip()}\n\n{data()['note']}",
        goal=item["goal"],
        measures=item.get("measures", ""),
        target_group=item.get("target_group", ""),
        time_frame=item.get("time_frame", ""),
        estimated_cost=Decimal(item["estimated_cost"]) if "estimated_cost" in item else None,
        status="",
        created_by=author,
        created_at=created,
        updated_at=created,
    )
    history = History(proposal)
    history.step(S.ENTWURF, author, created)
    if item.get("status") != S.ENTWURF:
        history.step(S.ABGESTIMMT, moderator, _at(start + 20 + number, 18))
        history.step(S.EINGEREICHT, moderator, _at(end - 3, 9 + number))
        if item.get("status") == S.ZURUECK:
            history.step(
                S.ZURUECK, coordination, _at(phases["bewertung"][0], 11), comment=item["return_reason"].strip()
            )
        else:
            history.step(S.IN_BEWERTUNG, coordination, _at(phases["bewertung"][0], 10))
    return proposal, history


def _rate(proposal, item, criteria, raters, phases):
    offsets = data()["rater_offsets"]
    for number, rater in enumerate(raters):
        conflict = permissions.has_conflict_of_interest(rater, proposal)
        at = _at(phases["bewertung"][0] + 3 + 5 * number, 15)
        Rating.objects.bulk_create(
            Rating(
                proposal=proposal,
                criterion=criterion,
                rater=rater,
                created_at=at,
                conflict_of_interest=conflict,
                score=min(criterion.scale_max, max(criterion.scale_min, base + offsets[number])),
            )
            for criterion, base in zip(criteria, item["scores"], strict=True)
        )


def _past_year(number, source, coordination, raters):
    year, phases, criteria = _year(number, source, coordination)
    closed = _at(phases["bewertung"][1], 18)
    finalised = _at(phases["bewertung"][1] + 1, 10)
    decided_on = days_from_today(phases["beschluss"][0] + 30)
    for index, item in enumerate(source["proposals"]):
        proposal, history = _proposal(year, item, phases, index, coordination)
        _rate(proposal, item, criteria, raters, phases)
        outcome = item["outcome"]
        if outcome == S.ZURUECKGESTELLT:
            history.step(S.ZURUECKGESTELLT, coordination, finalised)
            proposal.save()
            continue
        history.step(S.PRIORISIERT, coordination, finalised)
        history.step(S.IM_PLANUNGSPAPIER, coordination, _at(phases["planungspapier"][0] + 10))
        proposal.decided_on = decided_on
        if "drucksache" in item:
            proposal.drucksache = item["drucksache"].format(year=number)
        if "budget" in item:
            proposal.budget_amount = Decimal(item["budget"])
        moments = {
            S.IN_UMSETZUNG: _at(phases["umsetzung"][0]),
            S.UMGESETZT: _at(phases["umsetzung"][1] - 5),
        }
        for target in OUTCOME_STEPS[outcome]:
            history.step(target, coordination, moments.get(target, _at(phases["beschluss"][0] + 30, 20)))
        proposal.save()
        report_days = [phases["beschluss"][0] + 37, phases["umsetzung"][0] + 20, phases["umsetzung"][1] - 5]
        for report, days in zip(item.get("reports", ()), report_days, strict=False):
            ImplementationReport.objects.create(
                proposal=proposal,
                state=report["state"],
                text=f"{report['text']} {data()['report_note']}",
                reported_on=days_from_today(days),
                author=coordination,
                created_at=_at(days, 12),
            )
    PlanningYear.objects.filter(pk=year.pk).update(rating_closed_at=closed, priorities_finalised_at=finalised)


def _current_year(number, source, coordination, raters):
    year, phases, criteria = _year(number, source, coordination)
    for index, item in enumerate(source["proposals"]):
        proposal, _history = _proposal(year, item, phases, index, coordination)
        proposal.save()
        if proposal.status == S.IN_BEWERTUNG:
            _rate(proposal, item, criteria, raters[: item["rated_by"]], phases)


def _paper(year, source, coordination):
    """The past year's Planungspapier, published below the index of the papers."""
    if paper.paper_for_year(year, live_only=False) is not None:
        return
    home = HomePage.objects.first()
    index = child_page(home, PlanningPaperIndexPage, "planungspapiere", title="Planungspapiere")
    body = [
        {**block, "value": block["value"].replace("{year}", str(year.year))} if block["type"] == "text" else block
        for block in source["body"]
    ]
    page = PlanningPaperPage(
        title=f"Planungspapier {year.year}",
        slug=f"planungspapier-{year.year}",
        subtitle=source["subtitle"],
        planning_year=year,
        body=body,
        owner=coordination,
    )
    index.add_child(instance=page)
    page.save_revision(user=coordination).publish(user=coordination)


def seed_planning():
    source = data()
    coordination = User.objects.get(email=source["coordination"])
    raters = [User.objects.get(email=email) for email in source["raters"]]
    this_year = timezone.localdate().year
    if not PlanningYear.objects.filter(year=this_year - 1).exists():
        _past_year(this_year - 1, source["past_year"], coordination, raters)
    _paper(PlanningYear.objects.get(year=this_year - 1), source["past_year"]["paper"], coordination)
    if not PlanningYear.objects.filter(year=this_year).exists():
        _current_year(this_year, source["current_year"], coordination, raters)
