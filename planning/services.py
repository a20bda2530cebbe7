"""Operations of the planning cycle. Each checks its permission once, changes the data in one
transaction and tells the people concerned by mail once the transaction has committed."""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import absolute_url, queue_templated_mail
from forum.models import Topic
from monitoring.models import Indicator
from network.access import COORDINATION_GROUP
from network.models import District, Membership, NetworkBody, Organisation, User
from notices import selectors as notice_selectors
from notices import services as notice_services

from . import announcements, permissions, workflow
from .models import (
    ImplementationReport,
    Phase,
    PlanningYear,
    Proposal,
    ProposalEvent,
    Rating,
    RatingCriterion,
)

# Partners (organisations), forum topics, Quartiere and the indicators the Bestandsaufnahme cites.
LINK_FIELDS = ("partners", "forum_topics", "districts", "indicators")
PROPOSAL_FIELDS = (
    "title",
    "themenfeld",
    "problem",
    "goal",
    "measures",
    "target_group",
    "estimated_cost",
    "time_frame",
)


# --- notifications -------------------------------------------------------------------------


def _mailable(users: Iterable[User]) -> list[User]:
    """People who want mail at all; the planning mails are few, so every setting but "never" gets them."""
    return [u for u in users if u.is_active and u.email and u.notify_by_email != User.Delivery.NEVER]


def _group_people(body_ids: Iterable[int], exclude: User | None = None) -> list[User]:
    """The active members of the bodies; whether each gets a mail is `_notify`'s question."""
    people = User.objects.filter(memberships__body_id__in=list(body_ids), is_active=True).distinct()
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people)


def _notify(template: str, people: Iterable[User], context: dict[str, Any], kind: str = "") -> None:
    """Mail to those of `people` who want mail and, for a kind of notice, have not switched it off in
    the profile (the same switch keeps the in-app notice away)."""
    people = notice_selectors.wanting(people, kind) if kind else list(people)
    # queue_templated_mail itself waits for the commit: a rolled-back step sends nothing.
    for person in _mailable(people):
        queue_templated_mail(f"planning/email/{template}", [person.email], {"person": person, **context})


# --- planning years ------------------------------------------------------------------------


@transaction.atomic
def open_planning_year(
    actor: User,
    year: int,
    phases: Mapping[str, tuple[date, date]],
    criteria: Iterable[Mapping] = (),
    conflict_rule: str = PlanningYear.ConflictRule.MARKED,
) -> PlanningYear:
    """A new year with its phases (kind → (start, end)) and rating criteria (name, weight, scale_min, scale_max)."""
    permissions.check_manage_planning_year(actor)
    if PlanningYear.objects.filter(year=year).exists():
        raise ValidationError(_("Das Planungsjahr %(year)s gibt es bereits.") % {"year": year})
    unknown = set(phases) - set(Phase.Kind.values)
    if unknown:
        raise ValidationError(_("Unbekannte Phase: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))})
    for kind, (starts_on, ends_on) in phases.items():
        if ends_on < starts_on:
            raise ValidationError(
                _("Die Phase „%(phase)s“ endet vor ihrem Beginn.") % {"phase": Phase.Kind(kind).label}
            )
    planning_year = PlanningYear.objects.create(year=year, conflict_rule=conflict_rule, created_by=actor)
    Phase.objects.bulk_create(
        Phase(year=planning_year, kind=kind, starts_on=start, ends_on=end) for kind, (start, end) in phases.items()
    )
    for number, criterion in enumerate(criteria):
        add_criterion(actor, planning_year, sort_order=number, **criterion)
    return planning_year


def add_criterion(
    actor: User,
    year: PlanningYear,
    name: str,
    weight: int = 1,
    scale_min: int = 1,
    scale_max: int = 5,
    description: str = "",
    sort_order: int = 0,
) -> RatingCriterion:
    permissions.check_manage_planning_year(actor, year)
    if year.ratings_exist():
        raise ValidationError(_("Sobald bewertet wurde, bleiben die Kriterien des Jahres unverändert."))
    if scale_max <= scale_min:
        raise ValidationError(_("Das Ende der Skala muss größer sein als ihr Anfang."))
    if weight < 1:
        raise ValidationError(_("Das Gewicht muss mindestens 1 sein."))
    if year.criteria.filter(name=name).exists():
        raise ValidationError(_("Das Kriterium „%(name)s“ gibt es in diesem Jahr schon.") % {"name": name})
    return RatingCriterion.objects.create(
        year=year,
        name=name,
        weight=weight,
        scale_min=scale_min,
        scale_max=scale_max,
        description=description,
        sort_order=sort_order,
    )


# --- proposals -----------------------------------------------------------------------------


def _set_links(proposal: Proposal, links: Mapping[str, Iterable[Any] | None]) -> None:
    """The proposal's many-to-many links (LINK_FIELDS) that were given; None leaves one as it is."""
    for name, targets in links.items():
        if targets is not None:
            getattr(proposal, name).set(targets)


def _check_proposal_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown proposal fields: {sorted(unknown)}")


@transaction.atomic
def create_proposal(
    actor: User,
    year: PlanningYear,
    body: NetworkBody,
    *,
    partners: Iterable[Organisation] | None = None,
    forum_topics: Iterable[Topic] | None = None,
    districts: Iterable[District] | None = None,
    indicators: Iterable[Indicator] | None = None,
    **fields: Any,
) -> Proposal:
    permissions.check_create_proposal(actor, year, body)
    _check_proposal_fields(fields)
    proposal = Proposal(year=year, body=body, created_by=actor, **fields)
    proposal.themenfeld = proposal.themenfeld or body.themenfeld
    proposal.save()
    _set_links(
        proposal, {"partners": partners, "forum_topics": forum_topics, "districts": districts, "indicators": indicators}
    )
    ProposalEvent.objects.create(proposal=proposal, to_status=proposal.status, actor=actor)
    return proposal


@transaction.atomic
def update_proposal(
    actor: User,
    proposal: Proposal,
    *,
    partners: Iterable[Organisation] | None = None,
    forum_topics: Iterable[Topic] | None = None,
    districts: Iterable[District] | None = None,
    indicators: Iterable[Indicator] | None = None,
    **fields: Any,
) -> Proposal:
    proposal = Proposal.objects.select_for_update().select_related("year", "body").get(pk=proposal.pk)
    permissions.check_update_proposal(actor, proposal)
    _check_proposal_fields(fields)
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.updated_at = timezone.now()
    proposal.save()
    _set_links(
        proposal, {"partners": partners, "forum_topics": forum_topics, "districts": districts, "indicators": indicators}
    )
    return proposal


@transaction.atomic
def transition_proposal(
    actor: User,
    proposal: Proposal,
    target: str,
    *,
    comment: str = "",
    budget_amount: Decimal | None = None,
    drucksache: str = "",
    decided_on: date | None = None,
) -> Proposal:
    """One step of the workflow (planning.workflow.TRANSITIONS) with its history row."""
    proposal = Proposal.objects.select_for_update().select_related("year", "body").get(pk=proposal.pk)
    permissions.check_transition(actor, proposal, target)
    step = workflow.transition(proposal.status, target)
    # check_transition refused a step that does not exist.
    comment = comment.strip()
    if step.needs_comment and not comment:  # type: ignore[union-attr]
        raise ValidationError(_("Bitte begründen Sie, warum der Vorschlag an die Fokusgruppe zurückgeht."))
    if step.needs_decision:  # type: ignore[union-attr]
        if budget_amount is None or budget_amount < 0:
            raise ValidationError(_("Bitte tragen Sie die bewilligten Mittel ein (0 oder mehr Euro)."))
        if not drucksache.strip():
            raise ValidationError(_("Bitte tragen Sie die Nummer der Drucksache ein."))
        proposal.budget_amount = budget_amount
    if target in workflow.COUNCIL_STATUSES:
        # A postponed proposal comes back to a later session: the latest session's date and paper count.
        proposal.decided_on = decided_on or timezone.localdate()
        proposal.drucksache = drucksache.strip() or proposal.drucksache
        if target == Proposal.Status.ABGELEHNT:
            proposal.budget_amount = None
    elif target in workflow.DECIDED_STATUSES and proposal.decided_on is None:
        proposal.decided_on = decided_on or timezone.localdate()
    source = proposal.status
    proposal.status = target
    proposal.updated_at = timezone.now()
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, from_status=source, to_status=target, actor=actor, comment=comment)
    _notify(
        "status_changed",
        _group_people([proposal.body_id], exclude=actor),
        {
            "proposal": proposal,
            "status": proposal.get_status_display(),
            "comment": comment,
            "proposal_url": absolute_url(proposal.get_absolute_url()),
        },
    )
    return proposal


# --- ratings -------------------------------------------------------------------------------


@transaction.atomic
def rate_proposal(actor: User, proposal: Proposal, scores: Mapping[int, int], comment: str = "") -> list[Rating]:
    """All criteria of the year for one proposal at once: one rating per criterion, or none at all."""
    proposal = Proposal.objects.select_related("year", "body").get(pk=proposal.pk)
    # The year's row is the lock: closing the round waits for a rating in progress, and the other way round.
    PlanningYear.objects.select_for_update().filter(pk=proposal.year_id).first()
    proposal.year.refresh_from_db(fields=["rating_closed_at"])
    permissions.check_rate(actor, proposal)
    criteria = list(proposal.year.criteria.all())
    if not criteria:
        raise ValidationError(_("Für dieses Jahr sind noch keine Bewertungskriterien festgelegt."))
    missing = [c.name for c in criteria if scores.get(c.pk) is None]
    if missing:
        raise ValidationError(_("Bitte bewerten Sie alle Kriterien: %(names)s.") % {"names": ", ".join(missing)})
    for criterion in criteria:
        score = scores[criterion.pk]
        if not criterion.scale_min <= score <= criterion.scale_max:
            raise ValidationError(
                _("„%(name)s“ wird auf einer Skala von %(min)s bis %(max)s bewertet.")
                % {"name": criterion.name, "min": criterion.scale_min, "max": criterion.scale_max}
            )
    conflict = permissions.has_conflict_of_interest(actor, proposal)
    try:
        with transaction.atomic():
            return Rating.objects.bulk_create(
                Rating(
                    proposal=proposal,
                    criterion=criterion,
                    rater=actor,
                    score=scores[criterion.pk],
                    comment=comment.strip(),
                    conflict_of_interest=conflict,
                )
                for criterion in criteria
            )
    except IntegrityError:
        # Two submissions of the same form at once: the constraint is the last word.
        raise ValidationError(_("Sie haben diesen Vorschlag bereits bewertet; jede Person bewertet einmal.")) from None


@transaction.atomic
def close_rating_round(actor: User, year: PlanningYear) -> PlanningYear:
    year = PlanningYear.objects.select_for_update().get(pk=year.pk)
    permissions.check_close_rating_round(actor, year)
    year.rating_closed_at = timezone.now()
    year.save(update_fields=["rating_closed_at"])
    lenkungsrunde = NetworkBody.objects.filter(kind=NetworkBody.Kind.LENKUNGSRUNDE).values_list("pk", flat=True)
    _notify(
        "rating_closed",
        _group_people(lenkungsrunde, exclude=actor),
        {"year": year, "ranking_url": absolute_url(year.get_ranking_url())},
    )
    return year


@transaction.atomic
def finalise_priorities(actor: User, year: PlanningYear, prioritised: Iterable[int]) -> list[Proposal]:
    """The coordination's final list: the chosen proposals in rating become "priorisiert", the others
    "zurückgestellt"; every step gets its history row and the groups hear of the result."""
    year = PlanningYear.objects.select_for_update().get(pk=year.pk)
    permissions.check_finalise_priorities(actor, year)
    in_rating = list(year.proposals.filter(status=Proposal.Status.IN_BEWERTUNG).select_related("body"))
    chosen = set(prioritised)
    unknown = chosen - {p.pk for p in in_rating}
    if unknown:
        raise ValidationError(_("Nur Vorschläge, die in Bewertung sind, können priorisiert werden."))
    now = timezone.now()
    events = []
    for proposal in in_rating:
        target = Proposal.Status.PRIORISIERT if proposal.pk in chosen else Proposal.Status.ZURUECKGESTELLT
        events.append(
            ProposalEvent(proposal=proposal, from_status=proposal.status, to_status=target, actor=actor, created_at=now)
        )
        proposal.status, proposal.updated_at = target, now
    Proposal.objects.bulk_update(in_rating, ["status", "updated_at"])
    ProposalEvent.objects.bulk_create(events)
    year.priorities_finalised_at = now
    year.save(update_fields=["priorities_finalised_at"])
    bodies = {p.body_id for p in in_rating}
    _notify(
        "priorities_finalised",
        _group_people(bodies, exclude=actor),
        {
            "year": year,
            "prioritised": [p for p in in_rating if p.pk in chosen],
            "ranking_url": absolute_url(year.get_ranking_url()),
        },
        kind=announcements.PRIORITIES_KIND,
    )
    # In-app, each group hears of each of its proposals, prioritised or not, with a link to it. The rows are
    # written in this transaction (notices.services.send_notices says why), the mails after the commit.
    members: dict[int, list[User]] = {}
    memberships = Membership.objects.filter(body_id__in=bodies, user__is_active=True).exclude(user=actor)
    for membership in memberships.select_related("user"):
        members.setdefault(membership.body_id, []).append(membership.user)
    for proposal in in_rating:
        notice_services.send_notices(
            members.get(proposal.body_id, []), **announcements.priorities_notice(year, proposal)
        )
    return in_rating


@transaction.atomic
def set_current_phase(actor: User, year: PlanningYear, kind: str) -> PlanningYear:
    """The coordination's explicit switch; an empty kind lets the phase follow the dates again."""
    year = PlanningYear.objects.select_for_update().get(pk=year.pk)
    permissions.check_manage_planning_year(actor, year)
    if kind and kind not in Phase.Kind.values:
        raise ValidationError(_("Diese Phase gibt es nicht."))
    if kind and year.phase_of_kind(kind) is None:
        raise ValidationError(_("Für diese Phase hat das Jahr keine Daten."))
    before = year.current_phase()
    year.current_phase_override = kind
    after = year.current_phase()
    announce = after is not None and (before is None or before.kind != after.kind)
    if announce:
        year.announced_phase = after.kind
    year.save(update_fields=["current_phase_override", "announced_phase"])
    if announce:
        _announce_phase(year, after, exclude=actor)
    return year


_PROPOSING_GROUPS = tuple(permissions.PROPOSING_KINDS)
_LENKUNGSRUNDE = (NetworkBody.Kind.LENKUNGSRUNDE,)
# Who is asked to act in a phase (concept section 3): the groups take stock and write proposals, the
# Lenkungsrunde rates them and writes the paper, both meet at the conference and hear of the council's
# decision and the implementation. The coordination, which runs the year, hears of every phase.
PHASE_AUDIENCE: dict[str, tuple[str, ...]] = {
    Phase.Kind.BESTANDSAUFNAHME: _PROPOSING_GROUPS,
    Phase.Kind.ZIELVORSCHLAEGE: _PROPOSING_GROUPS,
    Phase.Kind.BEWERTUNG: _LENKUNGSRUNDE,
    Phase.Kind.KONFERENZ: _PROPOSING_GROUPS + _LENKUNGSRUNDE,
    Phase.Kind.PLANUNGSPAPIER: _LENKUNGSRUNDE,
    Phase.Kind.BESCHLUSS: _PROPOSING_GROUPS + _LENKUNGSRUNDE,
    Phase.Kind.UMSETZUNG: _PROPOSING_GROUPS + _LENKUNGSRUNDE,
}
# A phase that began longer ago than this when the daily run first sees it (a year opened late, a past
# year, the first run after an update) is recorded without a mail: the news would come too late.
ANNOUNCE_WITHIN_DAYS = 7


def phase_audience(phase: Phase, exclude: User | None = None) -> list[User]:
    """Who hears that `phase` has begun: the active members of the bodies that act in it, and the coordination."""
    bodies = NetworkBody.objects.filter(kind__in=PHASE_AUDIENCE[phase.kind]).values_list("pk", flat=True)
    people = {person.pk: person for person in _group_people(bodies, exclude=exclude)}
    for person in User.objects.filter(groups__name=COORDINATION_GROUP, is_active=True).distinct():
        if exclude is None or person.pk != exclude.pk:
            people.setdefault(person.pk, person)
    return list(people.values())


def _announce_phase(year: PlanningYear, phase: Phase, exclude: User | None = None) -> None:
    """Mail (after the commit) and in-app notice (in the caller's transaction, with the phase's record) to the
    same people: those who switched phase news off in the profile get neither; "keine E-Mails" stops only
    the mail."""
    people = notice_selectors.wanting(phase_audience(phase, exclude), announcements.PHASE_KIND)
    _notify("phase_changed", people, {"year": year, "phase": phase, "year_url": absolute_url(year.get_absolute_url())})
    notice_services.send_notices(people, **announcements.phase_notice(year, phase))


def announce_phases_begun(today: date | None = None) -> list[PlanningYear]:
    """Tell the people concerned when a year's phase has begun by its dates (run daily); returns the years
    whose phase was announced. Each phase is announced once, even with two runs at the same moment: only
    the run whose conditional update changes `announced_phase` sends."""
    today = today or timezone.localdate()
    announced = []
    for year in PlanningYear.objects.prefetch_related("phases"):
        phase = year.current_phase(today)
        if phase is None or phase.kind == year.announced_phase:
            continue
        with transaction.atomic():
            won = PlanningYear.objects.filter(pk=year.pk, announced_phase=year.announced_phase).update(
                announced_phase=phase.kind
            )
            if won and (today - phase.starts_on).days <= ANNOUNCE_WITHIN_DAYS:
                _announce_phase(year, phase)
                announced.append(year)
    return announced


@transaction.atomic
def report_implementation(
    actor: User, proposal: Proposal, state: str, text: str, reported_on: date | None = None
) -> ImplementationReport:
    proposal = Proposal.objects.select_for_update().select_related("body").get(pk=proposal.pk)
    permissions.check_report_implementation(actor, proposal)
    if state not in ImplementationReport.State.values:
        raise ValidationError(_("Diesen Umsetzungsstand gibt es nicht."))
    if not text.strip():
        raise ValidationError(_("Bitte schreiben Sie ein paar Sätze zum Stand der Umsetzung."))
    report = ImplementationReport.objects.create(
        proposal=proposal, state=state, text=text.strip(), reported_on=reported_on or timezone.localdate(), author=actor
    )
    _notify(
        "implementation_reported",
        _group_people([proposal.body_id], exclude=actor),
        {"proposal": proposal, "report": report, "proposal_url": absolute_url(proposal.get_absolute_url())},
    )
    return report
