"""The current planning phase on the pages of the bodies that take part in it, and a Quartier's proposals
on its page (network.panels)."""

from django.template.loader import render_to_string

from network.models import NetworkBody

from . import selectors
from .models import PHASE_HINTS
from .permissions import PROPOSING_KINDS

TAKING_PART = (*PROPOSING_KINDS, NetworkBody.Kind.LENKUNGSRUNDE)


def current_phase_panel(body, user) -> str:
    if body is None or body.kind not in TAKING_PART:
        return ""
    current = selectors.current_phase_for_body(body)
    if current is None:
        return ""
    year, phase = current
    return render_to_string(
        "planning/includes/body_phase.html",
        {
            "year": year,
            "phase": phase,
            "hint": PHASE_HINTS.get(phase.kind, ""),
            "next_deadline": year.next_deadline(),
        },
    )


def district_proposals_panel(district, user) -> str:
    """What the public tracker shows of this Quartier: proposals from the planning paper on."""
    proposals = selectors.public_proposals_in(district)
    if not proposals:
        return ""
    return render_to_string("planning/includes/district_proposals.html", {"district": district, "proposals": proposals})
