"""A district's indicators on its page in the network (network.panels)."""

from django.template.loader import render_to_string

from . import selectors


def district_indicators_panel(district, user) -> str:
    profile = selectors.district_profile(district)
    if not profile:
        return ""
    return render_to_string(
        "monitoring/includes/district_panel.html",
        {"district": district, "profile": profile, "examples": any(item["indicator"].is_example for item in profile)},
    )
