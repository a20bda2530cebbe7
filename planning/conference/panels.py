"""The workshop wishes on a conference registrant's own page (cms.registration_panels)."""

from django.template.loader import render_to_string

from .. import permissions
from ..models import Conference
from . import selectors
from .forms import WishForm


def workshop_wish_panel(registration, token, request) -> str:
    conference = Conference.objects.select_related("year").filter(event_id=registration.event_id).first()
    if conference is None or not conference.workshops.exists():
        return ""
    choice = selectors.own_choice(registration)
    initial = {"first_wish": choice.first_wish, "second_wish": choice.second_wish} if choice else {}
    return render_to_string(
        "planning/conference/wish_panel.html",
        {
            "conference": conference,
            "registration": registration,
            "token": token,
            "choice": choice,
            "workshops": selectors.workshops_of(conference),
            "form": WishForm(initial=initial, conference=conference),
            "can_choose": permissions.can_choose_workshops(request.user, registration, link_holder=True),
        },
        request=request,
    )
