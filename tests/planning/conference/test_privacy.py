"""A registrant's workshop wishes and place are part of their data download (found by address)."""

import pytest

from core.privacy import export_personal_data
from planning.conference import services

pytestmark = pytest.mark.django_db


def test_the_download_holds_ones_own_workshop_wishes_and_place_only(conf, register, wish):
    own = register(conf.event, conf.cycle.outsider.email)
    other = register(conf.event, "jemand@example.org")
    wish(conf, own, conf.b, conf.a)
    wish(conf, other, conf.a)
    services.assign_automatically(conf.cycle.coordinator, conf.conference)

    data = export_personal_data(conf.cycle.outsider)

    assert data["planning"]["conference_workshops"] == [
        {
            "event": "Sozialraumkonferenz 2026",
            "first_wish": "Forum Schule",
            "second_wish": "Forum Kita",
            "assigned": "Forum Schule",
        }
    ]
