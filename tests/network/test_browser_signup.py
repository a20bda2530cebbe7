"""A new professional signs up, verifies the address from the mail, and joins a focus group in Chromium."""

import re

import pytest
from django.core.management import call_command

from network.models import ApprovedDomain, Membership, NetworkBody, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    yield context.new_page()
    context.close()


def confirmation_link(mailbox, address):
    for message in reversed(mailbox):
        if address in message.to:
            match = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body)
            if match:
                return match.group(0)
    raise AssertionError(f"no verification mail for {address}")


@pytest.fixture
def demo_network(db):
    # Seeded before Playwright starts its event loop in this thread: the seed's forum posts broadcast synchronously.
    call_command("seed_demo", verbosity=0)


def test_new_professional_signs_up_verifies_and_joins_a_focus_group(
    live_server, demo_network, browser_page, artifacts, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    ApprovedDomain.objects.get_or_create(domain="familienzentrum-test.example.org")
    body = (
        NetworkBody.objects.filter(
            kind=NetworkBody.Kind.FOKUSGRUPPE,
            status=NetworkBody.Status.ACTIVE,
            visibility=NetworkBody.Visibility.PROFESSIONALS,
        )
        .order_by("name")
        .first()
    )
    page = browser_page

    page.goto(live_server.url + "/")
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)
    assert "Sozialraum" in page.title()

    page.goto(live_server.url + "/konto/signup/")
    page.fill("input[name=display_name]", "Alex Beispiel")
    page.fill("input[name=email]", "alex@familienzentrum-test.example.org")
    page.fill("input[name=job_title]", "Sozialpädagogin")
    page.fill("input[name=password1]", "ein-sicheres-passwort-2026")
    page.fill("input[name=password2]", "ein-sicheres-passwort-2026")
    page.locator("form:has(input[name=password2]) [type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/$"))

    page.goto(
        confirmation_link(mailoutbox, "alex@familienzentrum-test.example.org").replace(
            "http://testserver", live_server.url
        )
    )
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    person = User.objects.get(email="alex@familienzentrum-test.example.org")
    assert person.is_professional

    page.goto(live_server.url + body.get_absolute_url())
    page.get_by_role("button", name=re.compile("Beitreten")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Sie sind jetzt Mitglied").is_visible()
    assert Membership.objects.filter(user=person, body=body).exists()

    page.goto(live_server.url + body.page.url)
    page.screenshot(path=str(artifacts / "body_page.png"), full_page=True)
    assert body.name in page.content()

    page.goto(live_server.url + "/netzwerk/netzwerkkarte/")
    assert page.locator("svg[aria-labelledby=map-title]").is_visible()
    page.screenshot(path=str(artifacts / "network_map.png"), full_page=True)
