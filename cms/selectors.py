"""Read queries of the CMS that other apps (the newsletter) may call."""

from django.db.models import QuerySet
from django.utils import timezone

from network.models import NetworkBody

from .models import EventPage, EventRegistration, NetworkBodyPage


def attendees_of(event: EventPage) -> QuerySet[EventRegistration]:
    """Everyone who still means to come (seat or waiting list): the newsletter's event audience."""
    return (
        EventRegistration.objects.filter(event=event)
        .exclude(status=EventRegistration.Status.CANCELLED)
        .order_by("created_at")
    )


def registrations_of(event: EventPage) -> QuerySet[EventRegistration]:
    """The whole list, cancellations included, in the order of the queue."""
    return EventRegistration.objects.filter(event=event).select_related("user").order_by("created_at", "pk")


def upcoming_events(limit: int = 5) -> QuerySet[EventPage]:
    return EventPage.objects.live().public().filter(start__gte=timezone.now()).order_by("start")[:limit]


def page_for_body(body: NetworkBody) -> NetworkBodyPage | None:
    return NetworkBodyPage.objects.live().filter(body=body).first()
