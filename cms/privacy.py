"""The CMS's part of a person's data: registrations for events, found by e-mail address.

A registration is made for one event and does not need an account (the public form takes it).
When an account is deleted, registrations for events that are over go; registrations for events
still to come stay, without the link to the account, so that nobody loses a seat at the
conference by deleting their login. The deletion page says so.
"""

from django.db.models.functions import Lower
from django.utils import timezone

from core.privacy import register_part

from .models import EventRegistration


def _registrations(email_addresses):
    return EventRegistration.objects.annotate(address_key=Lower("email")).filter(
        address_key__in=[address.lower() for address in email_addresses]
    )


def export_personal_data(email_addresses):
    return {
        "event_registrations": [
            {
                "event": registration.event.title,
                "start": registration.event.start,
                "name": registration.name,
                "email": registration.email,
                "organisation": registration.organisation,
                "remarks": registration.remarks,
                "status": registration.get_status_display(),
                "created_at": registration.created_at,
            }
            for registration in _registrations(email_addresses).select_related("event").order_by("created_at")
        ]
    }


def erase_personal_data(email_addresses):
    _registrations(email_addresses).filter(event__start__lt=timezone.now()).delete()


register_part(
    "cms",
    export=lambda subject: export_personal_data(subject.email_addresses),
    erase=lambda subject: erase_personal_data(subject.email_addresses),
)
