"""The conference pages pass axe-core's WCAG 2.1 AA rules in Chromium (helpers of tests/site/test_accessibility.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cms.models import EventRegistration
from cms.registration_links import registration_token
from planning.conference import services

from ...browser_site import BROWSER_CONTEXT, log_in
from ...site.test_accessibility import check_pages, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def conference_pages(conf, with_totp):
    """Built before Chromium starts: registrations with wishes and places, results and a published report."""
    with_totp(conf.cycle.coordinator)
    people = [
        EventRegistration.objects.create(
            event=conf.event, name=name, email=f"{name.lower()}@example.org", organisation=org
        )
        for name, org in (("Anna", "Kita Sonnenschein"), ("Bert", "Grundschule"), ("Cem", "Jugendclub"))
    ]
    EventRegistration.objects.create(
        event=conf.event, name="Dora", email="dora@example.org", status=EventRegistration.Status.WAITLISTED
    )
    services.choose_workshops(AnonymousUser(), people[0], conf.a, conf.b, link_holder=True)
    services.assign_automatically(conf.cycle.coordinator, conf.conference)
    services.save_workshop(
        conf.cycle.coordinator,
        conf.conference,
        conf.a,
        title="Forum Kita",
        room="Raum 1.12",
        capacity=1,
        proposals=[conf.kita],
        results="Zwei Kitas starten als Pilot.",
    )
    services.update_report(conf.cycle.coordinator, conf.conference, "Gute Beteiligung.", True)
    base = f"/sozialplanung/{conf.cycle.year.year}/konferenz/"
    return {
        "visitor": {
            "conference": base,
            "report": f"{base}bericht/",
            "own-registration": f"/veranstaltungen/anmeldung/{registration_token(people[0])}/",
            "event": conf.event.url,
        },
        "coordinator": {
            "registrations": f"{base}anmeldungen/",
            "name-list": f"{base}namensliste/",
            "manage": f"{base}verwalten/",
            "workshop-new": f"{base}foren/neu/",
            "workshop-edit": f"{base}foren/{conf.a.pk}/",
            "proposal-with-results": conf.kita.get_absolute_url(),
        },
    }


def test_the_conference_pages_have_no_wcag_21_aa_violations(
    conf, conference_pages, axe_source, live_server, chromium, artifacts
):
    found = []
    for role, pages in conference_pages.items():
        context = chromium.new_context(**BROWSER_CONTEXT)
        context.add_init_script(path=str(axe_source))
        if role == "coordinator":
            log_in(context, live_server.url, conf.cycle.coordinator)
        page = context.new_page()
        found += check_pages(page, live_server.url, pages, f"conference-{role}", artifacts, "de")
        context.close()
    assert not report(found), report(found)
