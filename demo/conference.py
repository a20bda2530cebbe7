"""The demo Sozialraumkonferenz from data/conference.yaml: last year's conference with registrations (some
cancelled), three workshops with places, results and a published report; this year's with its workshops
open for wishes. Rows are written with the models, as demo/planning.py does: the services would mail every
registrant. A year whose conference exists is left alone, so a second run changes nothing."""

from datetime import timedelta

from cms.models import EventPage, EventRegistration
from planning.models import Conference, PlanningYear, Workshop, WorkshopChoice

from .data import load
from .pages import register_attendees


def data():
    return load("conference")


def _workshops(conference, year, items, note=""):
    workshops = []
    for order, item in enumerate(items):
        workshop = Workshop.objects.create(
            conference=conference,
            title=item["title"],
            room=item["room"],
            capacity=item["capacity"],
            description=item.get("description", ""),
            results=f"{' '.join(item['results'].split())} {note}" if item.get("results") else "",
            sort_order=order,
        )
        workshop.proposals.set(year.proposals.filter(title__in=item["proposals"]))
        workshops.append(workshop)
    return workshops


def _wishes(registrations, workshops, assign):
    """Wishes spread over the workshops; with `assign` every confirmed registrant gets a place by them."""
    taken = dict.fromkeys((w.pk for w in workshops), 0)
    for number, registration in enumerate(registrations):
        first, second = workshops[number % len(workshops)], workshops[(number + 1) % len(workshops)]
        assigned = None
        if assign and registration.status == EventRegistration.Status.CONFIRMED:
            assigned = next((w for w in (first, second) if taken[w.pk] < w.capacity), None)
            if assigned is not None:
                taken[assigned.pk] += 1
        WorkshopChoice.objects.create(
            registration=registration, first_wish=first, second_wish=second, assigned=assigned
        )


def _past(year, source):
    event = EventPage.objects.get(slug=source["event"])
    register_attendees(event, source["registrations"])
    registrations = list(event.registrations.order_by("email"))
    for number, registration in enumerate(registrations):
        registration.created_at = event.start - timedelta(days=40, hours=-5 * number)
    EventRegistration.objects.bulk_update(registrations, ["created_at"])
    for number, registration in enumerate(registrations[-source["cancellations"] :]):
        registration.status = EventRegistration.Status.CANCELLED
        registration.cancelled_at = event.start - timedelta(days=3 + number)
        registration.cancelled_by_organiser = number == 0
        registration.save(update_fields=["status", "cancelled_at", "cancelled_by_organiser"])
    conference = Conference.objects.create(
        year=year,
        event=event,
        report_summary=f"{' '.join(source['summary'].split())} {data()['note']}",
        report_published_at=event.start + timedelta(days=14),
        assigned_at=event.start - timedelta(days=2),
    )
    workshops = _workshops(conference, year, source["workshops"], data()["note"])
    _wishes([r for r in registrations if r.status != EventRegistration.Status.CANCELLED], workshops, assign=True)


def _current(year, source):
    event = EventPage.objects.get(slug=source["event"])
    conference = Conference.objects.create(year=year, event=event)
    workshops = _workshops(conference, year, source["workshops"])
    _wishes(list(event.registrations.order_by("email")[: source["wishes"]]), workshops, assign=False)


def seed_conferences():
    source = data()
    years = {y.year: y for y in PlanningYear.objects.filter(conference__isnull=True)}
    newest = PlanningYear.objects.order_by("-year").values_list("year", flat=True).first()
    if newest is None:
        return
    if newest - 1 in years:
        _past(years[newest - 1], source["past_year"])
    if newest in years:
        _current(years[newest], source["current_year"])
