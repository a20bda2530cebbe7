"""The notices page and the dashboard with notices pass axe-core's WCAG 2.1 AA rules in Chromium; the header
with its count stays in one piece at 1,280 px and on a 390 px phone (screenshots in tests/artifacts/)."""

import re

import pytest

from ..browser_site import BROWSER_CONTEXT, log_in
from ..site.test_accessibility import check_pages, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "de-DE", "is_mobile": True, "has_touch": True}


@pytest.fixture
def reader(page_tree, make_user, make_body, add_member, make_notices):
    """A member with 25 notices, 3 of them read: the page shows unread and read ones and a second page."""
    person = make_user(display_name="Rita Leserin")
    add_member(person, make_body("FG Kita", slug="fg-kita"))
    make_notices(person, 25, read=3)
    return person


def overlaps(first, second):
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


def test_the_notices_pages_have_no_wcag_21_aa_violations(axe_source, live_server, reader, chromium, artifacts):
    context = chromium.new_context(**BROWSER_CONTEXT)
    context.add_init_script(path=str(axe_source))
    log_in(context, live_server.url, reader)
    page = context.new_page()

    found = check_pages(
        page,
        live_server.url,
        {"list": "/mitteilungen/", "list-page-2": "/mitteilungen/?seite=2", "dashboard": "/netzwerk/meine-gremien/"},
        "notices",
        artifacts,
        "de",
    )

    assert not report(found), report(found)
    context.close()


def test_the_header_count_fits_on_wide_screens_and_phones(
    live_server, reader, coordinator, with_totp, make_notices, chromium, artifacts
):
    # The coordination has the longest row of account links (Freigaben, Verwaltung besides the others).
    with_totp(coordinator)
    make_notices(coordinator, 120)
    wide = chromium.new_context(**BROWSER_CONTEXT)
    log_in(wide, live_server.url, coordinator)
    page = wide.new_page()
    page.goto(live_server.url + "/mitteilungen/")
    link = page.locator(".account-nav a", has_text="Meine Gremien")
    assert link.inner_text().startswith("Meine Gremien") and "120" in link.inner_text()
    assert page.locator(".account-nav a", has_text="Freigaben").is_visible()
    # What a screen reader announces for the link.
    named = page.get_by_role("link", name=re.compile(r"^Meine Gremien\s*:\s*120 ungelesene Mitteilungen$"))
    assert named.count() == 1 and named.is_visible()
    # The account links sit beside the brand in one row, touching neither the brand nor each other.
    brand = page.locator(".site-brand").bounding_box()
    items = [item.bounding_box() for item in page.locator(".account-nav li").all()]
    assert not any(overlaps(brand, item) for item in items)
    assert len({round(item["y"]) for item in items}) == 1, items
    page.screenshot(path=str(artifacts / "notices-header-1280.png"))
    wide.close()

    phone = chromium.new_context(**PHONE)
    log_in(phone, live_server.url, reader)
    page = phone.new_page()
    page.goto(live_server.url + "/mitteilungen/")
    button = page.locator(".site-menu__button")
    assert "22" in button.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "notices-phone-390.png"), full_page=True)
    button.click()
    assert page.locator(".account-nav a", has_text="Meine Gremien").is_visible()
    page.screenshot(path=str(artifacts / "notices-phone-390-menu.png"))
    phone.close()
