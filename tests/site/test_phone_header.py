"""On a 390 × 844 phone the header is one bar of at most 64 pixels and the content comes first.

The header and navigation used to take 319 pixels (38 % of the screen) and never collapsed; the
first post of a topic started 802 pixels down, below the fold. The navigation now sits behind a menu
button that is a <details> element, so it opens without JavaScript. From 64rem the navigation is
laid out in the header as before, with no button.
"""

import pytest

from ..browser_site import BROWSER_CONTEXT, build_site, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
HEADER_MAX = 64
# Breadcrumbs, the topic's title, tags, forum navigation and the topic's tools come before the first
# post; it started at 802 px and now starts at about 455 px, with its text on the first screen. Measured without JavaScript, so that the live layer's
# status line (which comes and goes with the connection) does not make the number wander.
FIRST_POST_MAX = 470
# The home page was twelve screens long, mostly fifteen full cards of bodies; on phones they show
# their name and kind only.
HOME_SCREENS_MAX = 8

MEASURE = """() => ({
    header: document.querySelector("header.site-header").getBoundingClientRect().height,
    firstPost: document.querySelector("article.forum-post") &&
        document.querySelector("article.forum-post").getBoundingClientRect().top + window.scrollY,
    sideways: document.documentElement.scrollWidth - window.innerWidth,
    length: document.documentElement.scrollHeight,
})"""


@pytest.fixture
def site(transactional_db):
    return build_site()


def test_on_a_phone_the_header_is_one_short_bar_and_the_first_post_starts_high(live_server, site, chromium, artifacts):
    context = chromium.new_context(**{**BROWSER_CONTEXT, "viewport": PHONE, "java_script_enabled": False})
    log_in(context, live_server.url, site.professional)
    page = context.new_page()

    for path in ("/", "/forum/", site.topic.get_absolute_url()):
        page.goto(live_server.url + path)
        sizes = page.evaluate(MEASURE)
        assert sizes["header"] <= HEADER_MAX, f"{path}: the header is {sizes['header']} px high"
        assert sizes["sideways"] <= 0, f"{path}: the page scrolls sideways"
        assert page.locator("summary", has_text="Menü").is_visible()
        assert not page.locator(".main-nav").is_visible(), f"{path}: the navigation is not collapsed"
        if path == "/":
            screens = sizes["length"] / PHONE["height"]
            assert screens <= HOME_SCREENS_MAX, f"the home page is {screens:.1f} screens long"
            assert page.get_by_role("link", name=site.body.name).first.is_visible(), "the bodies are still listed"
    page.screenshot(path=str(artifacts / "phone-header-topic-390.png"))

    assert sizes["firstPost"] <= FIRST_POST_MAX, f"the first post starts {sizes['firstPost']} px down"
    assert "Ferienangebote 2026" in page.locator("h1").inner_text()
    context.close()


def test_the_menu_opens_without_javascript_and_leads_everywhere(live_server, site, chromium, artifacts):
    context = chromium.new_context(**{**BROWSER_CONTEXT, "viewport": PHONE, "java_script_enabled": False})
    log_in(context, live_server.url, site.professional)
    page = context.new_page()
    page.goto(live_server.url + "/")

    page.get_by_text("Menü").click()

    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    for name in ("Start", "Netzwerk", "Forum", "Organisationen", "Netzwerkkarte"):
        assert navigation.get_by_role("link", name=name, exact=True).is_visible(), f"{name} is not in the open menu"
    account = page.get_by_role("navigation", name="Benutzerkonto")
    assert account.get_by_role("link", name="Profil").is_visible()
    assert page.get_by_role("search").get_by_label("Suche").is_visible()
    page.screenshot(path=str(artifacts / "phone-header-menu-open-390.png"))

    navigation.get_by_role("link", name="Forum", exact=True).click()
    assert page.url == live_server.url + "/forum/"
    context.close()


def test_on_a_wide_screen_the_navigation_is_shown_in_one_row_without_a_menu_button(
    live_server, site, chromium, artifacts
):
    context = chromium.new_context(**BROWSER_CONTEXT)
    log_in(context, live_server.url, site.professional)
    page = context.new_page()
    page.goto(live_server.url + "/forum/")

    assert not page.get_by_text("Menü").is_visible()
    links = page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link")
    boxes = [links.nth(index).bounding_box() for index in range(links.count())]
    assert len(boxes) >= 5 and all(boxes), "every navigation link is visible"
    assert len({round(box["y"]) for box in boxes}) == 1, "the navigation links sit in one row"
    assert page.get_by_role("search").get_by_label("Suche").is_visible()
    assert page.get_by_role("navigation", name="Benutzerkonto").get_by_role("link", name="Profil").is_visible()
    assert page.evaluate(MEASURE)["header"] <= 120
    page.screenshot(path=str(artifacts / "wide-header-1280.png"))
    context.close()
