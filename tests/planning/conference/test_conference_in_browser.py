"""In Chromium: a conference with two workshops takes registrations (one goes to the waiting list and
moves up after a cancellation), the wishes are assigned, results recorded and the public report shown."""

import re

import pytest
from playwright.sync_api import expect

from cms.models import EventRegistration
from cms.registration_links import registration_token
from planning.models import WorkshopChoice

from ...browser_site import BROWSER_CONTEXT, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register(browser, base, event, name, email, organisation):
    context = browser.new_context(**BROWSER_CONTEXT)
    page = context.new_page()
    page.goto(base + event.url)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_role("button", name="Anmeldung absenden").click()
    return page


def own_page(page, base, email):
    registration = EventRegistration.objects.get(email=email)
    page.goto(f"{base}/veranstaltungen/anmeldung/{registration_token(registration)}/")


def choose(page, first, second):
    page.get_by_label("Erstwunsch").select_option(label=first)
    page.get_by_label("Zweitwunsch").select_option(label=second)
    page.get_by_role("button", name="Wünsche speichern").click()
    expect(page.get_by_text("Ihre Forumswünsche sind gespeichert.")).to_be_visible()


def test_a_conference_from_registration_to_the_public_report(conf, with_totp, live_server, chromium, artifacts):
    with_totp(conf.cycle.coordinator)
    base, event = live_server.url, conf.event

    anna = register(chromium, base, event, "Anna Albers", "anna@example.org", "Kita Sonnenschein")
    expect(anna.get_by_text("Vielen Dank! Ihre Anmeldung ist eingegangen")).to_be_visible()
    bert = register(chromium, base, event, "Bert Brandt", "bert@example.org", "Grundschule am Röthepfuhl")
    cem = register(chromium, base, event, "Cem Çelik", "cem@example.org", "Jugendclub Nord")
    dora = register(chromium, base, event, "Dora Dahl", "dora@example.org", "Familienzentrum")
    expect(dora.get_by_text("Sie stehen auf der Warteliste (Platz 1)")).to_be_visible()

    for page, email in ((anna, "anna@example.org"), (bert, "bert@example.org"), (cem, "cem@example.org")):
        own_page(page, base, email)
        choose(page, "Forum Kita", "Forum Schule")
    own_page(dora, base, "dora@example.org")
    choose(dora, "Forum Kita", "Forum Schule")

    # Anna cannot come after all: Dora moves up.
    anna.get_by_role("button", name="Anmeldung stornieren").click()
    expect(anna.get_by_text("Ihre Anmeldung ist storniert.")).to_be_visible()
    own_page(dora, base, "dora@example.org")
    expect(dora.get_by_text("Sie sind verbindlich angemeldet.")).to_be_visible()

    coordination = chromium.new_context(**BROWSER_CONTEXT)
    log_in(coordination, base, conf.cycle.coordinator)
    desk = coordination.new_page()
    desk.goto(f"{base}/sozialplanung/{conf.cycle.year.year}/konferenz/anmeldungen/")
    expect(desk.get_by_role("row", name=re.compile("Anna Albers"))).to_contain_text("storniert")
    desk.get_by_role("button", name="Plätze automatisch zuteilen").click()
    expect(desk.get_by_text("Plätze zugeteilt: 1 nach Erstwunsch, 2 nach Zweitwunsch")).to_be_visible()
    desk.screenshot(path=str(artifacts / "conference-registrations.png"), full_page=True)
    places = dict(WorkshopChoice.objects.values_list("registration__email", "assigned__title"))
    assert places == {
        "anna@example.org": None,
        "bert@example.org": "Forum Kita",
        "cem@example.org": "Forum Schule",
        "dora@example.org": "Forum Schule",
    }

    desk.goto(f"{base}/sozialplanung/{conf.cycle.year.year}/konferenz/")
    desk.get_by_role("link", name="„Forum Kita“ bearbeiten").click()
    desk.get_by_label("Ergebnisse").fill("Zwei Kitas im Quartier Mitte starten als Pilot.")
    desk.get_by_role("button", name="Forum speichern").click()
    expect(desk.get_by_text("Das Forum ist gespeichert.")).to_be_visible()
    desk.get_by_role("link", name="Konferenz und Bericht bearbeiten").click()
    desk.get_by_label("Zusammenfassung für den Bericht").fill("Die Konferenz bestätigte die Prioritäten.")
    desk.get_by_label("Bericht veröffentlichen").check()
    desk.get_by_role("button", name="Speichern").click()
    expect(desk.get_by_text("Die Konferenz ist gespeichert.")).to_be_visible()

    visitor = chromium.new_context(**BROWSER_CONTEXT).new_page()
    visitor.goto(f"{base}/sozialplanung/{conf.cycle.year.year}/")
    visitor.get_by_role("link", name="Bericht der Sozialraumkonferenz").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Bericht der Sozialraumkonferenz")
    expect(visitor.get_by_text("Die Konferenz bestätigte die Prioritäten.")).to_be_visible()
    expect(visitor.get_by_text("Zwei Kitas im Quartier Mitte starten als Pilot.")).to_be_visible()
    expect(visitor.get_by_text("Kita-Sozialarbeit ausbauen")).to_be_visible()
    visitor.screenshot(path=str(artifacts / "conference-report.png"), full_page=True)
