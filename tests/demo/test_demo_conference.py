"""The demo's Sozialraumkonferenz: last year's with registrations, workshops, results and a public report;
this year's open for registration with workshops to choose, and name badges for its registrants."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from cms.models import EventRegistration
from network.models import User
from planning.models import Conference, PlanningYear, WorkshopChoice


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_last_years_conference_is_documented_with_results_and_a_public_report(seeded, client):
    past = PlanningYear.objects.order_by("year").first().conference

    report = client.get(f"/sozialplanung/{past.year.year}/konferenz/bericht/").content.decode()

    assert past.event.start < timezone.now()
    statuses = set(past.event.registrations.values_list("status", flat=True))
    assert statuses == {EventRegistration.Status.CONFIRMED, EventRegistration.Status.CANCELLED}
    assert past.workshops.count() == 3
    assert all(w.results and w.proposals.exists() for w in past.workshops.all())
    assert WorkshopChoice.objects.filter(assigned__conference=past).count() >= 30
    assert "Forum 2: Schule und Jugend" in report
    assert "Schulsozialarbeit an der Grundschule am Röthepfuhl" in report
    assert "Beispieldaten" in report


def test_this_years_conference_takes_registrations_and_offers_its_workshops(seeded, client):
    current = Conference.objects.select_related("year", "event").order_by("-year__year").first()

    page = client.get(f"/sozialplanung/{current.year.year}/konferenz/").content.decode()

    assert current.event.registration_closed_reason() is None
    assert current.workshops.count() == 3
    assert not current.report_is_published
    assert "Forum 2: Jugend im öffentlichen Raum" in page
    assert "Zur Anmeldung" in page
    assert WorkshopChoice.objects.filter(registration__event=current.event, first_wish__isnull=False).count() == 18


def test_the_coordination_prints_name_badges_for_this_years_registrants(seeded, client):
    current = Conference.objects.select_related("year", "event").order_by("-year__year").first()
    confirmed = current.event.registrations.filter(status=EventRegistration.Status.CONFIRMED).order_by("name")
    client.force_login(User.objects.get(email="koordination@example.org"))
    badges_url = f"/sozialplanung/{current.year.year}/konferenz/namensschilder.pdf"

    registrations = client.get(f"/sozialplanung/{current.year.year}/konferenz/anmeldungen/").content.decode()
    badges = client.get(badges_url)

    assert f'href="{badges_url}"' in registrations
    reader = PdfReader(io.BytesIO(badges.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert confirmed.count() >= 10 and len(reader.pages) == -(-confirmed.count() // 8)
    assert all(registration.name in text for registration in confirmed)
