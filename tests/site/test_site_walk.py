"""A walk through the main pages on a 390-pixel phone and a 1280-pixel desktop, as a visitor, a member,
a moderator and the coordination, each logged in through the login form (with the TOTP code where
the role needs one).

Every page must answer without a server error, fit the window without sideways scrolling, and show
no text on top of other text. Screenshots of every page at both widths land in tests/artifacts/
(git-ignored) for a person to look at.
"""

from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from wagtail.models import Site

from network.access import COORDINATION_GROUP
from network.models import Membership, User
from newsletter.models import NewsletterArchivePage, NewsletterEdition, Send

from ..browser_site import BROWSER_CONTEXT, PASSWORD, build_site
from ..totp import current_code
from .test_accessibility import FIND_REFLOW_PROBLEMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": BROWSER_CONTEXT["viewport"]}
DEMO_PASSWORD = "teltow-demo-2026"

# Text boxes of different text nodes that overlap by more than a sliver (two lines of one paragraph
# may touch, neighbours on one line share an edge). Text for screen readers only (in a clipped box of
# one pixel, like the heads of tables that turn into blocks on phones) and the skip link (moved off
# screen until focused) are left out.
FIND_OVERLAPPING_TEXT = """() => {
    const clippedAway = (element) => {
        for (; element && element !== document.body; element = element.parentElement) {
            const style = getComputedStyle(element);
            if (style.overflowX !== "visible" || style.overflowY !== "visible" || style.clip !== "auto") {
                const frame = element.getBoundingClientRect();
                if (frame.width <= 1 || frame.height <= 1) { return true; }
            }
        }
        return false;
    };
    const boxes = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!node.textContent.trim() || !parent.checkVisibility({visibilityProperty: true, opacityProperty: true})) {
            continue;
        }
        if (parent.closest(".skip-link, script, style, title, desc") || clippedAway(parent)) {
            continue;
        }
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) {
            if (rect.width >= 1 && rect.height >= 1) {
                boxes.push({node, text: node.textContent.trim().slice(0, 40), left: rect.left, right: rect.right,
                            top: rect.top + window.scrollY, bottom: rect.bottom + window.scrollY});
            }
        }
    }
    boxes.sort((a, b) => a.top - b.top);
    const found = [];
    const SLIVER = 3;
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length && boxes[j].top < boxes[i].bottom - SLIVER; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.node === b.node) { continue; }
            const wide = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const high = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (wide > SLIVER && high > SLIVER) {
                found.push(`${JSON.stringify(a.text)} overlaps ${JSON.stringify(b.text)}`);
            }
        }
    }
    return found.slice(0, 10);
}"""

# The overlap check must find a real overlap, or its passing the pages proves nothing.
OVERLAP_EXAMPLE = """<body style="margin: 0; font: 16px sans-serif">
<p style="margin: 0">Erste Zeile eines Absatzes, die lang genug ist, um umzubrechen, und dann eine zweite Zeile hat</p>
<p style="position: absolute; top: 0; left: 10px; margin: 0">Darübergelegt</p>
<span style="position: absolute; width: 1px; height: 1px; overflow: hidden" class="visually-hidden">Nur für Screenreader</span>
</body>"""


@pytest.fixture
def walk(transactional_db, settings):
    """The demo with a forum topic (browser_site) and a newsletter archive with a sent edition."""
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed just before a 30-second step ends must still count
    site = build_site()
    archive = NewsletterArchivePage.objects.first()
    if archive is None:
        home = Site.objects.get(is_default_site=True).root_page
        archive = home.add_child(instance=NewsletterArchivePage(title="Newsletter-Archiv", slug="newsletter-archiv"))
        edition = archive.add_child(
            instance=NewsletterEdition(
                title="Sozialraum aktuell – Mai",
                slug="mai",
                newsletter=site.newsletter,
                subject="Sozialraum aktuell – Mai",
                body=[
                    ("heading", {"text": "Neues aus den Fokusgruppen", "level": "h2"}),
                    ("paragraph", "<p>Hallo Netzwerk!</p>"),
                ],
            )
        )
        Send.objects.create(edition=edition, status=Send.Status.DONE, created_by=None, finished_at=timezone.now())
    moderator = (
        Membership.objects.filter(body=site.body, role=Membership.Role.MODERATOR).select_related("user").first().user
    )
    return SimpleNamespace(
        site=site,
        people={
            "visitor": None,
            "member": (site.professional, PASSWORD),
            "moderator": (moderator, DEMO_PASSWORD),
            "coordination": (
                User.objects.filter(groups__name=COORDINATION_GROUP).order_by("pk").first(),
                DEMO_PASSWORD,
            ),
        },
        pages={
            "home": "/",
            "forum": "/forum/",
            "topic": site.topic.get_absolute_url(),
            "search": "/suche/?q=Kita",
            "forum-search": "/forum/suche/?q=Ferien",
            "notifications": "/forum/benachrichtigungen/",
            "newsletter-archive": archive.url,
            "body-page": site.body.page.url,
            "map": "/netzwerk/netzwerkkarte/",
        },
    )


def log_in_with_form(page, base_url, user, password):
    page.goto(base_url + "/konto/login/")
    page.fill("main input[name=login]", user.email)
    page.fill("main input[name=password]", password)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        page.fill("main input[name=code]", current_code(authenticator))
        page.locator("main form [type=submit]").first.click()
        page.wait_for_load_state()
    assert "/konto/login/" not in page.url and "/2fa/" not in page.url, (
        f"{user.email} is not logged in: {page.url}: {page.locator('main').inner_text()[:300]}"
    )


def test_the_check_finds_text_on_top_of_text(chromium):
    page = chromium.new_page()
    page.set_content(OVERLAP_EXAMPLE)
    found = page.evaluate(FIND_OVERLAPPING_TEXT)
    assert len(found) == 1 and "Darübergelegt" in found[0], found
    page.close()


@pytest.mark.parametrize("role", ["visitor", "member", "moderator", "coordination"])
def test_the_main_pages_fit_phone_and_desktop_for_every_role(walk, live_server, chromium, artifacts, role):
    # One login per role for both widths: a TOTP code counts only once.
    context = chromium.new_context(**BROWSER_CONTEXT)
    page = context.new_page()
    errors, problems = [], []
    page.on("response", lambda response: response.status >= 500 and errors.append(f"{response.status} {response.url}"))
    if walk.people[role] is not None:
        log_in_with_form(page, live_server.url, *walk.people[role])
    for width_name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for name, path in walk.pages.items():
            response = page.goto(live_server.url + path)
            label = f"{role} {name} at {viewport['width']} px"
            assert response.status < 500, f"{label}: {path} answered {response.status}"
            if name == "map" and width_name == "phone":
                page.get_by_text("Netzwerkkarte als Grafik zeigen").click()
            page.screenshot(path=str(artifacts / f"walk-{role}-{name}-{viewport['width']}.png"), full_page=True)
            sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if sideways > 0:
                problems.append(f"{label}: the page scrolls sideways by {sideways} px")
            problems += [f"{label}: {problem}" for problem in page.evaluate(FIND_REFLOW_PROBLEMS)]
            problems += [f"{label}: {problem}" for problem in page.evaluate(FIND_OVERLAPPING_TEXT)]
    context.close()
    assert not errors, f"{role}: server errors: {errors}"
    assert not problems, "\n".join(problems)
