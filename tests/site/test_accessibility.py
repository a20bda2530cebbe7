"""The main pages pass axe-core's WCAG 2.1 AA rules in Chromium, in German and in English.

axe-core is pinned in package.json; `make test` installs it with npm. It is injected as an init
script (through the DevTools protocol, so the site's Content-Security-Policy stays in force and
is not loosened for the check). The coordination's own screens in the Wagtail admin are checked
too, and the main pages must reflow to 320 CSS pixels (WCAG 1.4.10), which axe does not test.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from network.access import COORDINATION_GROUP
from network.models import Organisation, User
from newsletter import services as newsletter_services
from newsletter.models import NewsletterArchivePage, NewsletterEdition, Send

from ..browser_site import BROWSER_CONTEXT, PASSWORD, anonymous_pages, build_site, log_in, professional_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCALES = {"de": "de-DE", "en": "en-GB"}

# Nodes that Wagtail renders and we cannot change, each exempt from one rule only, by axe rule id.
WAGTAIL_OWNED = {
    # Draftail, Wagtail's rich-text editor, labels the hidden input it replaces, so its contenteditable
    # textbox has no accessible name (wagtail/wagtail#14205, open). Drop this once Wagtail ships the fix.
    "aria-input-field-name": ".Draftail-Editor .public-DraftEditor-content[role=textbox]",
}

RUN_AXE = """async ({tags, exempt}) => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], elementRef: true,
    });
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes
            .filter((node) => !(exempt[violation.id] && node.element && node.element.matches(exempt[violation.id])))
            .map((node) => ({target: node.target.join(" "), summary: node.failureSummary})),
    })).filter((violation) => violation.nodes.length);
}"""


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
        "document-upload-errors": ("/ablage/gremien/{body}/hochladen/", "main form:has(input[name=file])"),
    },
}


def violations(page):
    return page.evaluate(RUN_AXE, {"tags": WCAG_21_AA, "exempt": WAGTAIL_OWNED})


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
        context = chromium.new_context(**{**BROWSER_CONTEXT, "locale": LOCALES[language]})
        context.add_init_script(path=str(axe_source))
        if user is not None:
            log_in(context, live_server.url, user)
        return context

    base_url, found = live_server.url, []
    paths = {"newsletter": site.newsletter.slug, "topic": site.topic.get_absolute_url(), "body": site.body.slug}
    forms = {
        role: {name: (path.format(**paths), form) for name, (path, form) in role_forms.items()}
        for role, role_forms in FORMS_SENT_EMPTY.items()
    }

    visitor = browser()
    page = visitor.new_page()
    found += check_pages(page, base_url, anonymous_pages(site), f"{language}-visitor", artifacts, language)
    found += check_forms_sent_empty(page, base_url, forms["visitor"], f"{language}-visitor", artifacts)
    found += check_pages(
        page, base_url, {"not-found": "/gibt-es-nicht/"}, f"{language}-visitor", artifacts, language, 404
    )
    visitor.close()

    professional = browser(site.professional)
    page = professional.new_page()
    found += check_pages(page, base_url, professional_pages(site), f"{language}-professional", artifacts, language)
    found += check_totp_setup(page, f"{language}-professional", artifacts)
    found += check_forms_sent_empty(page, base_url, forms["professional"], f"{language}-professional", artifacts)
    professional.close()

    found = [entry for entry in found if entry[2]]
    assert not found, "axe-core (WCAG 2.1 AA) found violations:\n" + report(found)


@pytest.fixture
def coordination_screens(site):
    """The coordination's screens in the Wagtail admin for our apps, each with something to show.

    Built before Playwright starts, like the site: the sign-ups queue their mails from on_commit.
    """
    # The demo gives the coordination a TOTP authenticator; without one every admin page would
    # redirect to its setup.
    site.coordinator = User.objects.get(groups__name=COORDINATION_GROUP)
    archive = NewsletterArchivePage.objects.get()  # the demo's archive
    edition = archive.add_child(
        instance=NewsletterEdition(
            title="Ausgabe Mai",
            slug="ausgabe-mai",
            newsletter=site.newsletter,
            subject="Sozialraum aktuell – Mai",
            body=[
                ("heading", {"text": "Neues aus den Fokusgruppen", "level": "h2"}),
                ("paragraph", "<p>Hallo <b>Netzwerk</b>!</p>"),
            ],
        )
    )
    # One consent from the public form (still unconfirmed) and one confirmed from an account, so
    # that the draft send has a recipient and its buttons are enabled.
    subscription, _outcome = newsletter_services.subscribe(
        site.newsletter, "leserin@example.org", source_detail="/newsletter/anmelden/sozialraum/"
    )
    newsletter_services.subscribe(
        site.newsletter, site.coordinator.email, source_detail="/newsletter/", user=site.coordinator
    )
    draft = newsletter_services.create_send(edition, user=site.coordinator)
    done = Send.objects.create(edition=edition, status=Send.Status.DONE, created_by=site.coordinator)
    return SimpleNamespace(
        # Views and templates of our own (newsletter/admin_views.py).
        own={
            "edition-preview": reverse("newsletter_admin:preview", args=[edition.pk]),
            "edition-prepare": reverse("newsletter_admin:prepare", args=[edition.pk]),
            "send-draft": reverse("newsletter_admin:send", args=[draft.pk]),
            "send-done": reverse("newsletter_admin:send", args=[done.pk]),
            "consents": reverse("newsletter_consents:index"),
            "import": reverse("newsletter_import:index"),
        },
        forms_sent_empty={
            "import-errors": (reverse("newsletter_import:index"), "main form[enctype='multipart/form-data']"),
            "schedule-errors": (
                reverse("newsletter_admin:send", args=[draft.pk]),
                "main form:has(input[name=scheduled_at])",
            ),
        },
        # Wagtail's generic screens for our models and page types.
        generic={
            "bodies": reverse("networkbody:index"),
            "body-edit": reverse("networkbody:edit", args=[site.body.pk]),
            "organisations": reverse("organisation:index"),
            "organisation-edit": reverse("organisation:edit", args=[Organisation.objects.order_by("name").first().pk]),
            "boards": reverse("forum_boards:index"),
            "board-edit": reverse("forum_boards:edit", args=[site.board.pk]),
            "newsletters": reverse("newsletter_lists:index"),
            "newsletter-edit": reverse("newsletter_lists:edit", args=[site.newsletter.pk]),
            "subscribers": reverse("subscriber:index"),
            "subscriber-edit": reverse("subscriber:edit", args=[subscription.subscriber.pk]),
            "body-page-editor": reverse("wagtailadmin_pages:edit", args=[site.body.page.pk]),
            "edition-editor": reverse("wagtailadmin_pages:edit", args=[edition.pk]),
        },
    )


def test_the_coordinations_admin_screens_have_no_wcag_21_aa_violations(
    axe_source, live_server, site, coordination_screens, chromium, artifacts
):
    """Every screen in German, the coordination's working language; in English only our own templates,
    as the generic screens' English is Wagtail's and each walk through them costs about 15 seconds."""
    screens, found = coordination_screens, []
    for language, pages in (("de", {**screens.own, **screens.generic}), ("en", screens.own)):
        context = chromium.new_context(**{**BROWSER_CONTEXT, "locale": LOCALES[language]})
        context.add_init_script(path=str(axe_source))
        log_in(context, live_server.url, site.coordinator)
        page = context.new_page()
        page.goto(live_server.url + "/admin/")
        assert page.url == live_server.url + "/admin/", "the coordination was sent to a login or the TOTP setup"
        label = f"{language}-coordination"
        found += check_pages(page, live_server.url, pages, label, artifacts, language)
        found += check_forms_sent_empty(page, live_server.url, screens.forms_sent_empty, label, artifacts)
        context.close()

    found = [entry for entry in found if entry[2]]
    assert not found, "axe-core (WCAG 2.1 AA) found violations in the admin:\n" + report(found)


# WCAG 1.4.10 (Reflow): at 320 CSS pixels, what a 1280-pixel screen shows at 400 % zoom, nothing
# may need sideways scrolling or be cut off. Text in a box that scrolls by itself passes: WCAG exempts
# content that needs two dimensions (tables, code), and such a box keeps the page itself narrow.
REFLOW_PAGES = {
    "visitor": ["home", "body-page", "newsletter-subscribe", "login"],
    "professional": ["board-list", "topic", "notifications"],
}
NARROW = {"width": 320, "height": 640}

FIND_REFLOW_PROBLEMS = """() => {
    const problems = [];
    const describe = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map((name) => "." + name).join("");
    const quote = (text) => JSON.stringify(text.trim().slice(0, 50));
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) {
        problems.push(`the page scrolls sideways: ${width} px wide in a ${window.innerWidth} px window`);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
        const text = walker.currentNode;
        if (!text.textContent.trim() || !text.parentElement.checkVisibility({visibilityProperty: true})) {
            continue;
        }
        range.selectNodeContents(text);
        const box = range.getBoundingClientRect();
        if (box.width < 1 || box.height < 1) {
            continue;
        }
        let clipper = text.parentElement;
        while (clipper !== document.body) {
            const style = getComputedStyle(clipper);
            if (style.overflowX !== "visible" || style.overflowY !== "visible") {
                break;
            }
            clipper = clipper.parentElement;
        }
        if (clipper === document.body) {
            if (box.right > window.innerWidth + 1) {
                problems.push(`text runs off the right edge in ${describe(text.parentElement)}: ${quote(text.textContent)}`);
            }
            continue;
        }
        const style = getComputedStyle(clipper);
        const scrolls = [style.overflowX, style.overflowY].some((value) => value === "auto" || value === "scroll");
        const frame = clipper.getBoundingClientRect();
        // Text hidden for everyone but screen readers sits in a box of one pixel on purpose.
        const visuallyHidden = frame.width <= 1 || frame.height <= 1;
        const outside = box.right > frame.right + 1 || box.left < frame.left - 1 || box.bottom > frame.bottom + 1;
        if (outside && !scrolls && !visuallyHidden) {
            problems.push(`text cut off by ${describe(clipper)}: ${quote(text.textContent)}`);
        }
    }
    return problems;
}"""


# Two failures and two look-alikes that pass (text for screen readers only, a box that scrolls): the
# check must report exactly the failures, or its passing the real pages would prove nothing.
REFLOW_FAILURES = """<body style="margin: 0">
<p style="white-space: nowrap">Eine Zeile, die nicht umbricht und darum über den rechten Rand hinausläuft</p>
<p style="width: 8rem; overflow: hidden; white-space: nowrap">Abgeschnitten in einer zu schmalen Box</p>
<span style="position: absolute; width: 1px; height: 1px; overflow: hidden; white-space: nowrap">Nur für Screenreader</span>
<div style="overflow-x: auto"><p style="width: 40rem">Eine breite Tabelle darf in ihrer eigenen Box scrollen</p></div>
</body>"""


def check_reflow(page, base_url, pages, label, artifacts):
    problems = []
    for name, path in pages.items():
        response = page.goto(base_url + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        page.screenshot(path=str(artifacts / f"reflow-{label}-{name}-320.png"), full_page=True)
        problems += [f"{label} {name} at 320 px: {problem}" for problem in page.evaluate(FIND_REFLOW_PROBLEMS)]
        # The narrow layout must not come at the cost of the wide one.
        page.set_viewport_size(BROWSER_CONTEXT["viewport"])
        problems += [f"{label} {name} at 1280 px: {problem}" for problem in page.evaluate(FIND_REFLOW_PROBLEMS)]
        page.set_viewport_size(NARROW)
    return problems


def test_main_pages_reflow_to_320_css_pixels_without_sideways_scrolling(live_server, site, chromium, artifacts):
    pages = {**anonymous_pages(site), **professional_pages(site)}
    pages = {role: {name: pages[name] for name in names} for role, names in REFLOW_PAGES.items()}
    context = chromium.new_context(**{**BROWSER_CONTEXT, "viewport": NARROW})
    page = context.new_page()
    page.set_content(REFLOW_FAILURES)
    found = page.evaluate(FIND_REFLOW_PROBLEMS)
    assert [problem.split(":")[0] for problem in found] == [
        "the page scrolls sideways",
        "text runs off the right edge in p",
        "text cut off by p",
    ], found
    context.close()

    problems = []
    for language, locale in LOCALES.items():
        for role in ("visitor", "professional"):
            context = chromium.new_context(**{**BROWSER_CONTEXT, "viewport": NARROW, "locale": locale})
            if role == "professional":
                log_in(context, live_server.url, site.professional)
            problems += check_reflow(context.new_page(), live_server.url, pages[role], f"{language}-{role}", artifacts)
            context.close()
    assert not problems, "content does not reflow (WCAG 1.4.10):\n" + "\n".join(problems)
