"""A planning year in the proposal phase, with the people a phase change or the priority list concerns:
a focus group (moderation and a member), the Lenkungsrunde, the coordination and a professional outside."""

import random
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from network.models import Membership, NetworkBody
from notices import services as notice_services
from notices.models import Notice
from planning import services
from planning.announcements import PHASE_KIND
from planning.models import Phase
from tests.planning.conftest import phases_around


@pytest.fixture
def year_people(make_user, make_body, add_member, coordinator, themenfeld):
    kita = make_body("FG Kita", slug="fg-kita", themenfeld=themenfeld)
    lenkungsrunde = make_body(
        "Lenkungsrunde Sozialplanung", slug="lenkungsrunde-sozialplanung", kind=NetworkBody.Kind.LENKUNGSRUNDE
    )
    kita_moderator = make_user("moderation-kita@example.org", display_name="Moderation Kita")
    kita_member = make_user("kita-mitglied@example.org", display_name="Kim Kita")
    outsider = make_user("fachkraft@example.org", display_name="Frieda Fachkraft")
    add_member(kita_moderator, kita, Membership.Role.MODERATOR)
    add_member(kita_member, kita)
    raters = [make_user(f"lenkung{n}@example.org", display_name=f"Lenkung {n}") for n in (1, 2, 3)]
    for rater in raters:
        add_member(rater, lenkungsrunde)
    today = timezone.localdate()
    year = services.open_planning_year(
        coordinator, today.year, phases_around(today, Phase.Kind.ZIELVORSCHLAEGE), [{"name": "Wirkung"}]
    )
    # The proposal phase's start is recorded, as the daily run would have done.
    year.announced_phase = Phase.Kind.ZIELVORSCHLAEGE
    year.save(update_fields=["announced_phase"])
    return SimpleNamespace(
        year=year,
        kita=kita,
        lenkungsrunde=lenkungsrunde,
        kita_moderator=kita_moderator,
        kita_member=kita_member,
        outsider=outsider,
        raters=raters,
        coordinator=coordinator,
    )


@pytest.fixture
def make_notices():
    """`count` notices for `person`, created a minute apart (the last one newest), in a shuffled order of
    creation so that the page's order comes from the dates; `read` of them (the oldest) already read."""

    def make(person, count, read=0, seed=14):
        rng = random.Random(seed)
        now = timezone.now()
        numbers = list(range(count))
        rng.shuffle(numbers)
        for number in numbers:
            notice = notice_services.send_notices(
                [person], kind=PHASE_KIND, title=f"Mitteilung {number + 1}", text=f"Text {number + 1}", url="/"
            )[0]
            Notice.objects.filter(pk=notice.pk).update(
                created_at=now - timedelta(minutes=count - number),
                read_at=now if number < read else None,
            )
        return list(Notice.objects.filter(recipient=person).order_by("-created_at"))

    return make
