"""The main pages pass axe-core's WCAG 2.1 AA rules in Chromium, in German and in English.

axe-core is pinned in package.json; `make test` installs it with npm. It is injected as an init
script (through the DevTools protocol, so the site's Content-Security-Policy stays in force and
is not loosened for the check).
"""

from pathlib import Path

import pytest

from .browser_site import BROWSER_CONTEXT, PASSWORD, anonymous_pages, build_site, log_in, professional_pages
from .servers import in_ci

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({target: node.target.join(" "), summary: node.failureSummary})),
    }));
}"""


@pytest.fixture
def axe_source():
    if not AXE.exists():
        message = f"axe-core fehlt ({AXE.relative_to(AXE.parents[2])}): npm ci --no-audit --no-fund"
        if in_ci():
            pytest.fail(f"{message} (CI=true: the accessibility check must not be skipped)")
        pytest.skip(message)
    return AXE


@pytest.fixture
def site(transactional_db):
    return build_site()


# Pages whose form is sent empty, so that the check also covers the error messages and their
# association with the fields. The browser's own validation is switched off for the send.
FORMS_SENT_EMPTY = {
    "visitor": {
        "signup-errors": ("/konto/signup/", "main form:has(input[name=password2])"),
        "login-errors": ("/konto/login/", "main form:has(input[name=password])"),
        "newsletter-subscribe-errors": ("/newsletter/anmelden/{newsletter}/", "main form:has(input[name=email])"),
    },
    "professional": {
        "reply-errors": ("{topic}", "form[action$='/antworten/']"),
    },
}


def violations(page):
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def check_pages(page, base_url, pages, label, artifacts, language, status=200):
    found = []
    for name, path in pages.items():
        response = page.goto(base_url + path)
        assert response.status == status, f"{name}: {path} answered {response.status}"
        assert page.locator("html").get_attribute("lang") == language, f"{name}: the page is not in {language}"
        page.screenshot(path=str(artifacts / f"a11y-{label}-{name}.png"), full_page=True)
        found.append((name, path, violations(page)))
    return found


def check_forms_sent_empty(page, base_url, forms, label, artifacts):
    found = []
    for name, (path, form) in forms.items():
        page.goto(base_url + path)
        page.locator(form).evaluate("(form) => { form.noValidate = true; }")
        page.locator(form).locator("[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator(".errorlist, [aria-invalid=true]").count(), f"{name}: the empty form showed no error"
        page.screenshot(path=str(artifacts / f"a11y-{label}-{name}.png"), full_page=True)
        found.append((name, path, violations(page)))
    return found


def check_totp_setup(page, label, artifacts):
    """The setup asks for the password first (the last page checked); confirming it leads on to the QR code."""
    page.fill("main input[name=password]", PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/konto/2fa/totp/activate/")
    page.screenshot(path=str(artifacts / f"a11y-{label}-totp-setup.png"), full_page=True)
    return [("totp-setup", "/konto/2fa/totp/activate/", violations(page))]


def report(found):
    lines = []
    for name, path, page_violations in found:
        for violation in page_violations:
            lines.append(f"{name} ({path}): {violation['id']} [{violation['impact']}] {violation['help']}")
            lines.extend(f"    {node['target']}: {node['summary']}" for node in violation["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["de", "en"])
def test_main_pages_have_no_wcag_21_aa_violations(axe_source, live_server, site, chromium, artifacts, language):
    def browser(user=None):
        context = chromium.new_context(**{**BROWSER_CONTEXT, "locale": {"de": "de-DE", "en": "en-GB"}[language]})
        context.add_init_script(path=str(axe_source))
        if user is not None:
            log_in(context, live_server.url, user)
        return context

    base_url, found = live_server.url, []
    paths = {"newsletter": site.newsletter.slug, "topic": site.topic.get_absolute_url()}
    forms = {
        role: {name: (path.format(**paths), form) for name, (path, form) in role_forms.items()}
        for role, role_forms in FORMS_SENT_EMPTY.items()
    }

    visitor = browser()
    page = visitor.new_page()
    found += check_pages(page, base_url, anonymous_pages(site), f"{language}-visitor", artifacts, language)
    found += check_forms_sent_empty(page, base_url, forms["visitor"], f"{language}-visitor", artifacts)
    found += check_pages(page, base_url, {"not-found": "/gibt-es-nicht/"}, f"{language}-visitor", artifacts, language, 404)
    visitor.close()

    professional = browser(site.professional)
    page = professional.new_page()
    found += check_pages(page, base_url, professional_pages(site), f"{language}-professional", artifacts, language)
    found += check_totp_setup(page, f"{language}-professional", artifacts)
    found += check_forms_sent_empty(page, base_url, forms["professional"], f"{language}-professional", artifacts)
    professional.close()

    found = [entry for entry in found if entry[2]]
    assert not found, "axe-core (WCAG 2.1 AA) found violations:\n" + report(found)
