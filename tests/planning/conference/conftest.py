"""A conference for the planning year of tests/planning/conftest.py: its event page with few seats,
two workshops on two prioritised proposals, and a helper that registers people through the CMS form."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from cms.models import EventPage, EventRegistration
from cms.registration_links import registration_token
from planning.conference import services
from planning.models import Proposal


@pytest.fixture
def conference_event(page_tree):
    return page_tree.events.add_child(
        instance=EventPage(
            title="Sozialraumkonferenz 2026",
            slug="sozialraumkonferenz-2026",
            start=timezone.now() + timedelta(days=30),
            location="Stubenrauchsaal, Teltow",
            intro="Alle Akteure des Netzwerks beraten die Prioritäten.",
            is_conference=True,
            registration_open=True,
            capacity=3,
        )
    )


@pytest.fixture
def conf(cycle, make_proposal, conference_event):
    kita = make_proposal(Proposal.Status.PRIORISIERT, title="Kita-Sozialarbeit ausbauen")
    schule = make_proposal(Proposal.Status.PRIORISIERT, title="Schulhöfe öffnen", body=cycle.schule)
    conference = services.set_up_conference(cycle.coordinator, cycle.year, conference_event)
    forum_a = services.save_workshop(
        cycle.coordinator, conference, title="Forum Kita", room="Raum 1.12", capacity=1, proposals=[kita]
    )
    forum_b = services.save_workshop(
        cycle.coordinator, conference, title="Forum Schule", room="Raum 2.04", capacity=2, proposals=[schule]
    )
    return SimpleNamespace(
        conference=conference, event=conference_event, a=forum_a, b=forum_b, kita=kita, schule=schule, cycle=cycle
    )


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """Registers through the event page's form, as a visitor would; returns the registration row."""

    def post(event, email, name=None, organisation="Kita Sonnenschein", browser=None):
        data = {"name": name or email.split("@")[0].title(), "email": email, "organisation": organisation}
        with django_capture_on_commit_callbacks(execute=True):
            response = (browser or Client()).post(f"/veranstaltungen/{event.pk}/anmelden/", data, follow=True)
        registration = EventRegistration.objects.get(event=event, email=email)
        registration.response = response
        return registration

    return post


@pytest.fixture
def wish(django_capture_on_commit_callbacks):
    """Posts the wish form of the registrant's own page with its signed link; returns the page shown after."""

    def post(conf, registration, first, second=None):
        token = registration_token(registration)
        data = {"first_wish": getattr(first, "pk", first), "second_wish": getattr(second, "pk", second) or ""}
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                f"/sozialplanung/{conf.cycle.year.year}/konferenz/anmeldung/{token}/foren/", data, follow=True
            )

    return post
