"""Reads of the conference for its pages, exports and the proposal page."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from cms.models import EventPage, EventRegistration

from .. import selectors as planning_selectors
from ..models import Conference, PlanningYear, Proposal, Workshop, WorkshopChoice

S = Proposal.Status
# From the coordination's final list on: what the Landkreis hears as the year's priorities.
PRIORITISED_STATUSES = (
    S.PRIORISIERT,
    S.IM_PLANUNGSPAPIER,
    S.BESCHLOSSEN,
    S.ABGELEHNT,
    S.VERTAGT,
    S.IN_UMSETZUNG,
    S.UMGESETZT,
)


def conference_of(year: PlanningYear) -> Conference | None:
    return Conference.objects.select_related("year", "event").filter(year=year).first()


def conference_events() -> QuerySet[EventPage]:
    return EventPage.objects.filter(is_conference=True).order_by("-start")


def workshops_of(conference: Conference) -> list[Workshop]:
    """Workshops with their proposals, places given (`taken`) and first wishes (`wanted`)."""
    workshops: list[Workshop] = list(
        conference.workshops.prefetch_related(
            Prefetch("proposals", queryset=Proposal.objects.select_related("body").order_by("title"))
        ).order_by("sort_order", "pk")
    )
    taken = dict(
        WorkshopChoice.objects.filter(
            assigned__conference=conference, registration__status=EventRegistration.Status.CONFIRMED
        )
        .values_list("assigned_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    wanted = dict(
        WorkshopChoice.objects.filter(
            first_wish__conference=conference, registration__status=EventRegistration.Status.CONFIRMED
        )
        .values_list("first_wish_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for workshop in workshops:
        workshop.wanted = wanted.get(workshop.pk, 0)
        workshop.taken = taken.get(workshop.pk, 0)
        workshop.free = max(workshop.capacity - workshop.taken, 0)
    return workshops


@dataclass
class RegistrationRow:
    registration: EventRegistration
    choice: WorkshopChoice | None
    position: int | None  # place on the waiting list


def registration_rows(conference: Conference) -> list[RegistrationRow]:
    """The whole list in queue order (cancellations last), with wishes and places; four queries."""
    registrations = list(
        EventRegistration.objects.filter(event_id=conference.event_id)
        .select_related("user", "workshop_choice__first_wish", "workshop_choice__second_wish")
        .select_related("workshop_choice__assigned")
        .order_by("created_at", "pk")
    )
    rows, waiting = [], 0
    for registration in registrations:
        position = None
        if registration.status == EventRegistration.Status.WAITLISTED:
            waiting += 1
            position = waiting
        rows.append(RegistrationRow(registration, getattr(registration, "workshop_choice", None), position))
    order: dict[str, int] = {EventRegistration.Status.CONFIRMED: 0, EventRegistration.Status.WAITLISTED: 1}
    rows.sort(key=lambda row: order.get(row.registration.status, 2))
    return rows


def name_list(conference: Conference) -> list[RegistrationRow]:
    """Who comes: confirmed registrants by name, for the door."""
    rows = [r for r in registration_rows(conference) if r.registration.status == EventRegistration.Status.CONFIRMED]
    return sorted(rows, key=lambda row: row.registration.name.lower())


def counts(rows: list[RegistrationRow]) -> dict[str, int]:
    counted = dict.fromkeys(EventRegistration.Status.values, 0)
    for row in rows:
        counted[row.registration.status] += 1
    return counted


def own_choice(registration: EventRegistration) -> WorkshopChoice | None:
    return (
        WorkshopChoice.objects.select_related("first_wish", "second_wish", "assigned")
        .filter(registration=registration)
        .first()
    )


def results_for_proposal(proposal: Proposal) -> list[Workshop]:
    """The workshops that discussed a proposal and recorded results, for the proposal's page."""
    return list(
        proposal.workshops.exclude(results="").select_related("conference__year").order_by("conference__year__year")
    )


def priority_list(year: PlanningYear) -> list[Proposal]:
    """The year's prioritised proposals in the order of the Lenkungsrunde's ranking."""
    ranked = planning_selectors.ranking(year) if year.rating_is_closed else []
    position = {row.proposal.pk: (row.rank or 10_000) for row in ranked}
    proposals = list(year.proposals.filter(status__in=PRIORITISED_STATUSES).select_related("body", "themenfeld"))
    return sorted(proposals, key=lambda p: (position.get(p.pk, 10_000), p.title.lower()))
