"""Operations of the CMS: pages that follow the network, and event registration."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.mail import absolute_url, queue_templated_mail
from core.permissions import Viewer
from network.models import NetworkBody

from .models import EventPage, EventRegistration, NetworkBodyPage, NetworkIndexPage
from .registration_links import BadRegistrationLink, read_registration_token, registration_token


def ensure_body_page(body: NetworkBody) -> NetworkBodyPage | None:
    """Give a network body its public page under the network index (once; editors take it from there)."""
    existing = NetworkBodyPage.objects.filter(body=body).first()
    if existing is not None:
        return existing
    index = NetworkIndexPage.objects.first()
    if index is None:
        return None
    slug = slugify(body.slug or body.name)[:80] or f"gremium-{body.pk}"
    if index.get_children().filter(slug=slug).exists():
        slug = f"{slug}-{body.pk}"
    page = NetworkBodyPage(title=body.name, slug=slug, body=body, intro=body.purpose)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _lock_event(event: EventPage) -> None:
    # The event's row serialises the seat count: two last-seat registrations, or a cancellation and a
    # registration at once, cannot both see a free seat (no-op on SQLite, which writes one at a time).
    EventPage.objects.select_for_update(of=("self",)).filter(pk=event.pk).values_list("pk").first()


def _mail(template: str, registration: EventRegistration, **context: Any) -> None:
    event = registration.event
    queue_templated_mail(
        f"cms/email/{template}",
        [registration.email],
        {
            "registration": registration,
            "event": event,
            "event_url": absolute_url(event.url or "/"),
            "manage_url": absolute_url(reverse("cms:registration", args=[registration_token(registration)])),
            **context,
        },
    )


def waiting_position(registration: EventRegistration) -> int | None:
    if registration.status != EventRegistration.Status.WAITLISTED:
        return None
    ahead = EventRegistration.objects.filter(
        event_id=registration.event_id,
        status=EventRegistration.Status.WAITLISTED,
        created_at__lt=registration.created_at,
    ).count()
    return ahead + 1


@transaction.atomic
def register_attendee(event: EventPage, form: forms.BaseForm, user: Viewer | None = None) -> EventRegistration:
    """A seat while there is one, else a place on the waiting list; a cancelled registration of the
    same address is taken up again (at the end of the queue)."""
    reason = event.registration_closed_reason()
    if reason:
        raise ValidationError(reason)
    _lock_event(event)
    email = form.cleaned_data["email"].strip().lower()
    registration = EventRegistration.objects.filter(event=event, email__iexact=email).first()
    if registration is not None and registration.status != EventRegistration.Status.CANCELLED:
        raise ValidationError(_("Mit dieser E-Mail-Adresse ist bereits jemand angemeldet."))
    registration = registration or EventRegistration(event=event)
    for name, value in form.cleaned_data.items():
        setattr(registration, name, value)
    registration.email = email
    registration.created_at = timezone.now()
    registration.cancelled_at = None
    registration.cancelled_by_organiser = False
    full = event.capacity is not None and event.confirmed_registrations().count() >= event.capacity
    registration.status = EventRegistration.Status.WAITLISTED if full else EventRegistration.Status.CONFIRMED
    if user is not None and user.is_authenticated:
        registration.user = user
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ValidationError(_("Mit dieser E-Mail-Adresse ist bereits jemand angemeldet.")) from None
    _mail("registration_confirmed", registration, position=waiting_position(registration))
    return registration


@transaction.atomic
def cancel_registration(registration: EventRegistration, *, by_organiser: bool = False) -> EventRegistration | None:
    """Cancel and give the freed seat to the first on the waiting list (told by mail); returns who moved up.

    The caller has established the right to cancel: the registrant's signed link or account (cms.views),
    or the organiser's permission (the planning app's check for the conference)."""
    _lock_event(registration.event)
    registration = EventRegistration.objects.select_related("event").get(pk=registration.pk)
    if registration.status == EventRegistration.Status.CANCELLED:
        raise ValidationError(_("Diese Anmeldung ist bereits storniert."))
    event = registration.event
    registration.status = EventRegistration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancelled_by_organiser = by_organiser
    registration.save(update_fields=["status", "cancelled_at", "cancelled_by_organiser"])
    _mail("registration_cancelled", registration)
    moved = _move_up(event, limit=1)
    return moved[0] if moved else None


def _move_up(event: EventPage, limit: int | None = None) -> list[EventRegistration]:
    """Free seats go to the waiting list, oldest first, each told by mail; the caller holds the event's lock."""
    free = None if event.capacity is None else event.capacity - event.confirmed_registrations().count()
    if free is not None and free <= 0:
        return []
    limits = [n for n in (free, limit) if n is not None]
    count = min(limits) if limits else None
    waiting = EventRegistration.objects.filter(event=event, status=EventRegistration.Status.WAITLISTED).order_by(
        "created_at", "pk"
    )
    moved = list(waiting[:count] if count is not None else waiting)
    for registration in moved:
        registration.status = EventRegistration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        _mail("registration_moved_up", registration)
    return moved


@transaction.atomic
def fill_free_seats(event: EventPage) -> list[EventRegistration]:
    """After the organiser added seats (or removed the limit): the waiting list moves up."""
    _lock_event(event)
    event = EventPage.objects.get(pk=event.pk)
    return _move_up(event)


def registration_from_token(token: str) -> EventRegistration:
    """The registration a signed link names; a forged link, or one for a registration that is gone, raises."""
    data = read_registration_token(token)
    registration = EventRegistration.objects.select_related("event").filter(pk=data["r"]).first()
    if registration is None or registration.email.lower() != data["e"]:
        raise BadRegistrationLink()
    return registration
