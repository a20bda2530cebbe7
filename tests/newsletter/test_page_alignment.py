"""The newsletter's public pages line up with the rest of the site.

They wrapped their content in a second .container inside the one base.html already gives, so
everything sat 24 pixels further in (16 on a phone) than on every other page.
"""

import pytest

from ..browser_site import BROWSER_CONTEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_newsletter_headings_start_where_the_other_pages_headings_start(
    live_server, newsletter, chromium, artifacts, width
):
    context = chromium.new_context(**{**BROWSER_CONTEXT, "viewport": {"width": width, "height": 900}})
    page = context.new_page()

    page.goto(live_server.url + "/netzwerk/gremien/")
    reference = page.locator("main h1").bounding_box()["x"]
    page.goto(live_server.url + f"/newsletter/anmelden/{newsletter.slug}/")
    heading = page.locator("main h1")

    assert "abonnieren" in heading.inner_text()
    assert heading.bounding_box()["x"] == reference
    assert page.locator("main form").bounding_box()["x"] == reference
    page.screenshot(path=str(artifacts / f"newsletter-subscribe-{width}.png"))
    context.close()
