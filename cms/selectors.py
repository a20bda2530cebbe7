"""Read queries of the CMS that other apps (the newsletter) may call."""

from django.utils import timezone

from .models import EventPage, EventRegistration, NetworkBodyPage


def attendees_of(event):
    return EventRegistration.objects.filter(event=event).order_by("created_at")


def upcoming_events(limit=5):
    return EventPage.objects.live().public().filter(start__gte=timezone.now()).order_by("start")[:limit]


def page_for_body(body):
    return NetworkBodyPage.objects.live().filter(body=body).first()
