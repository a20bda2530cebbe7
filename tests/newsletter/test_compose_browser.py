"""A coordinator composes an edition in the Wagtail admin, previews the mail, sends it and watches the
progress page, in Chromium; the received HTML mail is rendered too. Screenshots go to tests/artifacts/."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from network.access import COORDINATION_GROUP
from newsletter.models import NewsletterEdition, Send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    yield context
    context.close()


def test_coordinator_composes_previews_and_sends(
    live_server,
    browser_context,
    artifacts,
    client,
    make_user,
    with_totp,
    archive,
    newsletter,
    subscribe,
    smtp_sink,
    settings,
):
    settings.SITE_URL = live_server.url
    # The worker runs below, from the test, so that the progress page has something to poll.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    subscribe("leserin@example.org")
    subscribe("leser@example.org")
    coordinator = make_user("koordination@example.org", is_staff=True, display_name="Kim Koordination")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATION_GROUP)[0])
    with_totp(coordinator)
    client.force_login(coordinator)
    browser_context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = browser_context.new_page()

    # Compose: a new edition below the archive, with a heading and a text block.
    page.goto(f"{live_server.url}/admin/pages/add/newsletter/newsletteredition/{archive.pk}/")
    page.fill("#id_title", "Ausgabe März")
    page.select_option("#id_newsletter", str(newsletter.pk))
    page.fill("#id_subject", "Sozialraum aktuell – März")
    page.fill("#id_preheader", "Neues aus den Fokusgruppen")
    page.locator("#panel-child-inhalt-body-content .c-sf-add-button").first.click()
    page.get_by_role("option", name="Überschrift", exact=True).click()
    page.locator("input[name$='-value-text']").first.fill("Fokusgruppe Kita trifft sich")
    page.locator("#panel-child-inhalt-body-content .c-sf-add-button").last.click()
    page.get_by_role("option", name="Text", exact=True).click()
    editor = page.locator("#panel-child-inhalt-body-content .DraftEditor-root [contenteditable=true]").last
    editor.click()
    editor.press_sequentially("Die nächste Sitzung ist am 12. März im Familienzentrum.")
    # Draftail writes its hidden form input after a short pause; publishing before that would lose the text.
    page.wait_for_function(
        # A function, not an expression string: Playwright would eval() a string, which the CSP forbids.
        "() => [...document.querySelectorAll('input[type=hidden]')].some((input) => input.value.includes('Familienzentrum'))"
    )
    page.screenshot(path=str(artifacts / "newsletter_compose.png"), full_page=True)
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("Veröffentlichen")).click()
    try:
        # Publishing renders the edition and refreshes cached pages; on two busy cores that has taken over 30 s.
        page.wait_for_url(re.compile(r"/admin/pages/\d+/$"), timeout=90_000)
    except PlaywrightTimeoutError:
        page.screenshot(path=str(artifacts / "newsletter_publish_failed.png"), full_page=True)
        problems = page.locator(".messages, .error-message, .w-field__errors").all_inner_texts()
        raise AssertionError(f"Wagtail hat die Ausgabe nicht veröffentlicht ({page.url}): {problems}") from None
    edition = NewsletterEdition.objects.get(title="Ausgabe März")
    assert edition.live and [block.block_type for block in edition.body] == ["heading", "paragraph"]

    # Preview: HTML at desktop and mobile width, and the plain text.
    page.goto(f"{live_server.url}/admin/newsletter-versand/ausgabe/{edition.pk}/vorschau/")
    assert "Fokusgruppe Kita trifft sich" in page.frame_locator("iframe").first.locator("body").inner_text()
    assert "FOKUSGRUPPE KITA TRIFFT SICH" in page.locator("pre").inner_text()
    page.screenshot(path=str(artifacts / "newsletter_preview.png"), full_page=True)

    # Send to the list, then let a worker run while the page polls.
    page.goto(f"{live_server.url}/admin/newsletter-versand/ausgabe/{edition.pk}/versenden/")
    page.get_by_role("button", name="Empfänger zählen").click()
    page.get_by_role("button", name="Jetzt an 2 Adressen senden").click()
    page.wait_for_selector("#send-progress")
    call_command("deliver_newsletters", "--no-wait", stdout=open("/dev/null", "w"))
    page.wait_for_function(
        "() => document.querySelector('[data-field=percent]').textContent.trim() === '100'", timeout=15000
    )
    page.wait_for_selector("#send-statistics")
    page.screenshot(path=str(artifacts / "newsletter_progress.png"), full_page=True)
    assert Send.objects.get().status == Send.Status.DONE

    # What arrived: two messages; render the HTML part as a mail program would.
    assert sorted(address for entry in smtp_sink.messages for address in entry.rcpt_tos) == [
        "leser@example.org",
        "leserin@example.org",
    ]
    message = smtp_sink.to("leserin@example.org")[0]
    html = message.get_body(("html",)).get_content()
    mail = browser_context.new_page()
    mail.set_viewport_size({"width": 700, "height": 900})
    mail.set_content(html)
    assert "Fokusgruppe Kita trifft sich" in mail.inner_text(
        "body"
    ) and "12. März im Familienzentrum" in mail.inner_text("body")
    mail.screenshot(path=str(artifacts / "newsletter_mail.png"), full_page=True)
