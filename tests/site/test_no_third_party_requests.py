"""No page makes the browser contact anyone but this site, and the site sets only strictly necessary cookies.

Chromium records every request and WebSocket of each page (fonts, scripts, images, fetches) and
every cookie the site sets, for an anonymous visitor, a logged-in professional, and an editor and
a superuser in the Wagtail admin after a login with password and TOTP code.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from network.access import EDITORS_GROUP

from ..browser_site import BROWSER_CONTEXT, PASSWORD, anonymous_pages, build_site, log_in, person, professional_pages
from ..totp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Inline images (the favicon, CSS icons) and objects the page made itself are no requests to anyone.
LOCAL_SCHEMES = {"data", "blob", "about"}

BLOCKED_URL = re.compile(r"'((?:https?|wss?)://[^']+)'")

# The only cookies the site may set, each strictly necessary for something the person asked for.
NECESSARY_COOKIES = {
    settings.SESSION_COOKIE_NAME: "keeps a person logged in and carries the steps of a login with a second factor",
    settings.CSRF_COOKIE_NAME: "protects every form against cross-site request forgery",
}
# Remembers the language a person picked in the footer: allowed only after that choice.
LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME

ADMIN_PAGES = {
    "admin-dashboard": "/admin/",
    "admin-page-explorer": "/admin/pages/",
    "admin-documents": "/admin/documents/",
}


@pytest.fixture
def site(transactional_db, with_totp, settings):
    # A code computed just before a 30-second step ends must still count.
    settings.MFA_TOTP_TOLERANCE = 1
    site = build_site()
    site.editor = person("redaktion-test@example.org", "Rita Redaktion")
    site.editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    site.superuser = person("technik-test@example.org", "Tim Technik")
    site.superuser.is_staff = site.superuser.is_superuser = True
    site.superuser.save()
    site.totp = {user.pk: with_totp(user) for user in (site.editor, site.superuser)}
    return site


class Recorder:
    """Every URL a browser context asks for, by the page that was open.

    Attempts that the Content-Security-Policy stops never become requests; they are recorded from
    Chromium's CSP report on the console, so that a looser policy cannot hide them from this test.
    """

    def __init__(self, context):
        self.requests = []
        self.cookies_set = set()
        self.current = None
        context.on("request", lambda request: self.requests.append((self.current, request.url)))
        context.on("response", self.record_cookies)
        context.on("page", self.watch_page)

    def record_cookies(self, response):
        # Also the cookies that are set and deleted again between two pages (one-time messages, say).
        for header in response.headers_array():
            if header["name"].lower() == "set-cookie":
                self.cookies_set.add((self.current, header["value"].split("=", 1)[0].strip()))

    def watch_page(self, page):
        page.on("websocket", lambda websocket: self.requests.append((self.current, websocket.url)))
        page.on("console", self.record_blocked)

    def record_blocked(self, message):
        if "Content Security Policy" in message.text:
            self.requests.extend((f"{self.current} (CSP blocked)", url) for url in BLOCKED_URL.findall(message.text))

    def visit(self, page, name, url):
        self.current = name
        response = page.goto(url)
        assert response.status == 200, f"{name}: {url} answered {response.status}"
        # Scripts that fetch or connect after loading get their chance too.
        page.wait_for_load_state("networkidle")

    def foreign(self, own_host):
        return [
            (name, url)
            for name, url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != own_host
        ]

    def assert_only_own_host(self, base_url):
        foreign = self.foreign(urlsplit(base_url).netloc)
        assert not foreign, "requests to other hosts:\n" + "\n".join(f"{name}: {url}" for name, url in foreign)

    def assert_only_necessary_cookies(self, context, allowed=NECESSARY_COOKIES):
        kept = {cookie["name"] for cookie in context.cookies()}
        unnecessary = sorted((name, cookie) for name, cookie in self.cookies_set if cookie not in allowed)
        assert kept <= set(allowed), f"cookies kept that are not strictly necessary: {sorted(kept - set(allowed))}"
        assert not unnecessary, f"cookies set that are not strictly necessary (page, cookie): {unnecessary}"


def test_public_pages_contact_only_this_site_and_set_only_necessary_cookies(live_server, site, chromium):
    context = chromium.new_context(**BROWSER_CONTEXT)
    recorder = Recorder(context)
    page = context.new_page()

    for name, path in anonymous_pages(site).items():
        recorder.visit(page, name, live_server.url + path)

    assert any(urlsplit(url).path == "/static/css/site.css" for _name, url in recorder.requests), "styles are recorded"
    recorder.assert_only_own_host(live_server.url)
    recorder.assert_only_necessary_cookies(context)

    recorder.current = "language choice"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert LANGUAGE_COOKIE in {cookie["name"] for cookie in context.cookies()}, "the chosen language is remembered"
    recorder.assert_only_necessary_cookies(context, allowed={**NECESSARY_COOKIES, LANGUAGE_COOKIE: "chosen language"})
    context.close()


def test_a_professionals_pages_contact_only_this_site_and_set_only_necessary_cookies(live_server, site, chromium):
    context = chromium.new_context(**BROWSER_CONTEXT)
    recorder = Recorder(context)
    log_in(context, live_server.url, site.professional)
    page = context.new_page()

    for name, path in professional_pages(site).items():
        recorder.visit(page, name, live_server.url + path)

    assert any(urlsplit(url).scheme == "ws" for _name, url in recorder.requests), (
        "the forum's live connection is recorded"
    )
    recorder.assert_only_own_host(live_server.url)
    recorder.assert_only_necessary_cookies(context)
    context.close()


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_the_wagtail_admin_contacts_only_this_site_after_a_login_with_second_factor(
    live_server, site, chromium, artifacts, role
):
    user = getattr(site, role)
    context = chromium.new_context(**BROWSER_CONTEXT)
    recorder = Recorder(context)
    page = context.new_page()

    recorder.visit(page, "login", live_server.url + "/konto/login/?next=/admin/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url("**/konto/2fa/authenticate/**")
    page.fill("input[name=code]", current_code(site.totp[user.pk].instance))
    recorder.current = "admin-dashboard after login"
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_url("**/admin/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / f"third-party-{role}-dashboard.png"))

    for name, path in ADMIN_PAGES.items():
        recorder.visit(page, name, live_server.url + path)

    recorder.assert_only_own_host(live_server.url)
    recorder.assert_only_necessary_cookies(context)
    context.close()
