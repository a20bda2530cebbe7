"""One planning year while proposals are being written: two focus groups, the Lenkungsrunde and the coordination."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from network.models import Membership, NetworkBody
from planning import services
from planning.models import Phase, PlanningYear, Proposal


def phases_around(today, current=Phase.Kind.ZIELVORSCHLAEGE):
    """The seven phases, four weeks each, placed so that `current` runs today."""
    kinds = list(Phase.Kind.values)
    start = today - timedelta(days=28 * kinds.index(current) + 7)
    phases = {}
    for kind in kinds:
        phases[kind] = (start, start + timedelta(days=27))
        start += timedelta(days=28)
    return phases


CRITERIA = [
    {"name": "Dringlichkeit", "weight": 2, "scale_min": 1, "scale_max": 5},
    {"name": "Wirkung", "weight": 3, "scale_min": 1, "scale_max": 5},
    {"name": "Umsetzbarkeit", "weight": 1, "scale_min": 0, "scale_max": 10},
]


@pytest.fixture
def cycle(make_user, make_body, add_member, coordinator, themenfeld):
    kita = make_body("FG Kita", slug="fg-kita", themenfeld=themenfeld)
    schule = make_body("FG Schule", slug="fg-schule", themenfeld=themenfeld)
    lenkungsrunde = make_body(
        "Lenkungsrunde Sozialplanung",
        slug="lenkungsrunde-sozialplanung",
        members_only=True,
        kind=NetworkBody.Kind.LENKUNGSRUNDE,
    )
    kita_moderator = make_user("moderation-kita@example.org", display_name="Moderation Kita")
    kita_member = make_user("kita-mitglied@example.org", display_name="Kim Kita")
    schule_moderator = make_user("moderation-schule@example.org", display_name="Moderation Schule")
    outsider = make_user("fachkraft@example.org", display_name="Frieda Fachkraft")
    add_member(kita_moderator, kita, Membership.Role.MODERATOR)
    add_member(kita_member, kita)
    add_member(schule_moderator, schule, Membership.Role.MODERATOR)
    # Three raters; the first also sits in FG Kita (a conflict of interest for Kita's proposals).
    raters = [make_user(f"lenkung{n}@example.org", display_name=f"Lenkung {n}") for n in (1, 2, 3)]
    for rater in raters:
        add_member(rater, lenkungsrunde)
    add_member(raters[0], kita)
    year = services.open_planning_year(
        coordinator, timezone.localdate().year, phases_around(timezone.localdate()), CRITERIA
    )
    return SimpleNamespace(
        year=year,
        kita=kita,
        schule=schule,
        lenkungsrunde=lenkungsrunde,
        kita_moderator=kita_moderator,
        kita_member=kita_member,
        schule_moderator=schule_moderator,
        outsider=outsider,
        raters=raters,
        coordinator=coordinator,
        themenfeld=themenfeld,
        criteria=list(year.criteria.all()),
    )


@pytest.fixture
def make_proposal(cycle):
    """A proposal of FG Kita (or another group) put straight into the given status, with its history row."""

    def make(status=Proposal.Status.ENTWURF, body=None, title="Mehr Kita-Sozialarbeit", **fields):
        body = body or cycle.kita
        author = cycle.kita_member if body == cycle.kita else cycle.schule_moderator
        proposal = services.create_proposal(
            author,
            cycle.year,
            body,
            title=title,
            problem="Viele Familien in Belastungslagen.",
            goal="Sozialarbeit in jeder Kita.",
            **fields,
        )
        if status != Proposal.Status.ENTWURF:
            Proposal.objects.filter(pk=proposal.pk).update(status=status)
            proposal.refresh_from_db()
        return proposal

    return make


def reload(year):
    return PlanningYear.objects.prefetch_related("phases", "criteria").get(pk=year.pk)
