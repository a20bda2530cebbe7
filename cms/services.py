"""Operations of the CMS: pages that follow the network, and event registration."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.mail import absolute_url, queue_templated_mail
from core.permissions import Viewer
from network.models import NetworkBody

from .models import EventPage, EventRegistration, NetworkBodyPage, NetworkIndexPage


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


def register_attendee(event: EventPage, form: forms.BaseForm, user: Viewer | None = None) -> EventRegistration:
    reason = event.registration_closed_reason()
    if reason:
        raise ValidationError(reason)
    registration = EventRegistration(event=event, **form.cleaned_data)
    registration.email = registration.email.strip().lower()
    if user is not None and user.is_authenticated:
        registration.user = user
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ValidationError(_("Mit dieser E-Mail-Adresse ist bereits jemand angemeldet.")) from None
    queue_templated_mail(
        "cms/email/registration_confirmed",
        [registration.email],
        {"registration": registration, "event": event, "event_url": absolute_url(event.url or "/")},
    )
    return registration
