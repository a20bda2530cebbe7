"""Operations of the conference. Each checks its permission once (planning.permissions) and changes
the data in one transaction; cancellations and the waiting list are the CMS's (cms.services)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import services as cms_services
from cms.models import EventPage, EventRegistration
from core.permissions import Viewer
from network.models import User

from .. import permissions
from ..models import Conference, PlanningYear, Proposal, Workshop, WorkshopChoice

CONFIRMED = EventRegistration.Status.CONFIRMED


def occupied_seats(conference: Conference) -> dict[int, int]:
    """Places given per workshop; only registrants with a seat at the conference count."""
    rows = (
        WorkshopChoice.objects.filter(assigned__conference=conference, registration__status=CONFIRMED)
        .values("assigned_id")
        .annotate(taken=Count("pk"))
        .order_by()
    )
    return {row["assigned_id"]: row["taken"] for row in rows}


# --- the conference and its report ---------------------------------------------------------


@transaction.atomic
def set_up_conference(actor: User, year: PlanningYear, event: EventPage) -> Conference:
    """Link the year to its conference page (or to another page while nobody has chosen a workshop)."""
    permissions.check_manage_conference(actor)
    if not event.is_conference:
        raise ValidationError(_("Bitte wählen Sie einen Termin, der als Sozialraumkonferenz gekennzeichnet ist."))
    taken = Conference.objects.filter(event=event).exclude(year=year).select_related("year").first()
    if taken is not None:
        raise ValidationError(
            _("Dieser Termin ist schon die Konferenz des Planungsjahres %(year)s.") % {"year": taken.year.year}
        )
    conference = Conference.objects.filter(year=year).first()
    if conference is None:
        return Conference.objects.create(year=year, event=event)
    if conference.event_id != event.pk and WorkshopChoice.objects.filter(registration__event=conference.event).exists():
        raise ValidationError(_("Es gibt schon Forumswünsche; der Termin der Konferenz bleibt deshalb, wie er ist."))
    conference.event = event
    conference.save(update_fields=["event"])
    return conference


@transaction.atomic
def update_report(actor: User, conference: Conference, summary: str, publish: bool) -> Conference:
    permissions.check_manage_conference(actor, conference)
    conference.report_summary = summary.strip()
    if publish and conference.report_published_at is None:
        conference.report_published_at = timezone.now()
    elif not publish:
        conference.report_published_at = None
    conference.save(update_fields=["report_summary", "report_published_at"])
    return conference


# --- workshops -----------------------------------------------------------------------------


@transaction.atomic
def save_workshop(
    actor: User,
    conference: Conference,
    workshop: Workshop | None = None,
    *,
    title: str,
    room: str,
    capacity: int,
    description: str = "",
    results: str = "",
    proposals: Iterable[Proposal] = (),
    sort_order: int = 0,
) -> Workshop:
    """Create or change a workshop; its results (text) belong to it and to the proposals it discussed."""
    permissions.check_manage_conference(actor, conference)
    proposals = list(proposals)
    if any(p.year_id != conference.year_id for p in proposals):
        raise ValidationError(_("Ein Forum berät nur Zielvorschläge des eigenen Planungsjahres."))
    namesakes = conference.workshops.filter(title=title.strip())
    if workshop is not None:
        namesakes = namesakes.exclude(pk=workshop.pk)
    if namesakes.exists():
        raise ValidationError(_("Ein Forum „%(title)s“ gibt es schon.") % {"title": title.strip()})
    if capacity < 1:
        raise ValidationError(_("Ein Forum hat mindestens einen Platz."))
    if workshop is not None:
        taken = occupied_seats(conference).get(workshop.pk, 0)
        if capacity < taken:
            raise ValidationError(
                _("Im Forum sind schon %(taken)s Plätze vergeben; weniger Plätze gehen erst nach einer Umverteilung.")
                % {"taken": taken}
            )
    workshop = workshop or Workshop(conference=conference)
    workshop.title, workshop.room, workshop.capacity = title.strip(), room.strip(), capacity
    workshop.description, workshop.results, workshop.sort_order = description.strip(), results.strip(), sort_order
    workshop.save()
    workshop.proposals.set(proposals)
    return workshop


# --- wishes and places ---------------------------------------------------------------------


def _check_free(conference: Conference, workshop: Workshop, registration: EventRegistration) -> None:
    taken = (
        WorkshopChoice.objects.filter(assigned=workshop, registration__status=CONFIRMED)
        .exclude(registration=registration)
        .count()
    )
    if taken >= workshop.capacity:
        raise ValidationError(
            _("Das Forum „%(title)s“ ist voll; bitte wählen Sie ein anderes.") % {"title": workshop.title}
        )


@transaction.atomic
def choose_workshops(
    user: Viewer,
    registration: EventRegistration,
    first_wish: Workshop,
    second_wish: Workshop | None = None,
    *,
    link_holder: bool = False,
) -> WorkshopChoice:
    registration = EventRegistration.objects.select_related("event").get(pk=registration.pk)
    permissions.check_choose_workshops(user, registration, link_holder)
    conference = Conference.objects.select_for_update().get(event=registration.event)
    for wish in (first_wish, second_wish):
        if wish is not None and wish.conference_id != conference.pk:
            raise ValidationError(_("Dieses Forum gehört nicht zu dieser Konferenz."))
    if second_wish is not None and second_wish.pk == first_wish.pk:
        raise ValidationError(_("Erst- und Zweitwunsch müssen zwei verschiedene Foren sein."))
    for wish in (first_wish, second_wish):
        if wish is not None:
            _check_free(conference, wish, registration)
    choice, _created = WorkshopChoice.objects.get_or_create(registration=registration)
    choice.first_wish, choice.second_wish = first_wish, second_wish
    choice.save(update_fields=["first_wish", "second_wish"])
    return choice


@dataclass
class AssignmentResult:
    first: int = 0
    second: int = 0
    without_place: int = 0
    kept: int = 0


@transaction.atomic
def assign_automatically(actor: User, conference: Conference) -> AssignmentResult:
    """Places by wishes in the order of registration: the first wish while it has room, else the second;
    places the coordination gave by hand stay. Run again after changes; it starts from the wishes."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    permissions.check_manage_conference(actor, conference)
    capacity = {w.pk: w.capacity for w in conference.workshops.all()}
    choices = list(
        WorkshopChoice.objects.filter(registration__event_id=conference.event_id, registration__status=CONFIRMED)
        .select_related("registration")
        .order_by("registration__created_at", "registration__pk")
    )
    result = AssignmentResult()
    taken = dict.fromkeys(capacity, 0)
    for choice in choices:
        if choice.assigned_by_hand and choice.assigned_id in taken:
            taken[choice.assigned_id] += 1
            result.kept += 1
    for choice in choices:
        if choice.assigned_by_hand and choice.assigned_id in taken:
            continue
        choice.assigned = None
        for rank, wish in enumerate((choice.first_wish_id, choice.second_wish_id)):
            if wish in taken and taken[wish] < capacity[wish]:
                taken[wish] += 1
                choice.assigned_id = wish
                if rank == 0:
                    result.first += 1
                else:
                    result.second += 1
                break
        else:
            result.without_place += 1
    WorkshopChoice.objects.bulk_update(choices, ["assigned"])
    conference.assigned_at = timezone.now()
    conference.save(update_fields=["assigned_at"])
    return result


@transaction.atomic
def assign_by_hand(
    actor: User, conference: Conference, registration: EventRegistration, workshop: Workshop | None
) -> WorkshopChoice:
    """The coordination's change after the automatic assignment; None takes the place away."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    permissions.check_manage_conference(actor, conference)
    if registration.event_id != conference.event_id:
        raise ValidationError(_("Diese Anmeldung gehört nicht zu dieser Konferenz."))
    if registration.status != CONFIRMED:
        raise ValidationError(_("Einen Platz im Forum bekommt nur, wer einen Platz auf der Konferenz hat."))
    if workshop is not None:
        if workshop.conference_id != conference.pk:
            raise ValidationError(_("Dieses Forum gehört nicht zu dieser Konferenz."))
        _check_free(conference, workshop, registration)
    choice, _created = WorkshopChoice.objects.get_or_create(registration=registration)
    choice.assigned, choice.assigned_by_hand = workshop, workshop is not None
    choice.save(update_fields=["assigned", "assigned_by_hand"])
    return choice


@transaction.atomic
def cancel_as_organiser(
    actor: User, conference: Conference, registration: EventRegistration
) -> EventRegistration | None:
    """The coordination cancels a registration (the waiting list moves up as for any cancellation)."""
    permissions.check_manage_conference(actor, conference)
    if registration.event_id != conference.event_id:
        raise ValidationError(_("Diese Anmeldung gehört nicht zu dieser Konferenz."))
    WorkshopChoice.objects.filter(registration=registration).update(assigned=None, assigned_by_hand=False)
    return cms_services.cancel_registration(registration, by_organiser=True)
