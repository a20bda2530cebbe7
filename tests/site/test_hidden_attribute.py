"""What markup or a script hides with the `hidden` attribute stays hidden, whatever classes it carries.

The forum's notification badge is rendered with `hidden` while nothing is unread (live.js toggles it);
`.badge { display: inline-block }` beat the browser's own `[hidden] { display: none }`, so a "0"
always showed next to "Benachrichtigungen". Any class of site.css that sets `display` did the same.
"""

import pytest

from forum import services
from forum.models import Board, Notification

from ..browser_site import BROWSER_CONTEXT, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every element of the page that a `display` rule of our stylesheets selects, and one element per
# class such a rule names, gets `hidden`; each must then be display: none.
SHOWN_THOUGH_HIDDEN = """() => {
    const rules = [];
    const collect = (list) => {
        for (const rule of list) {
            if (rule.cssRules) { collect(rule.cssRules); }
            if (rule.selectorText && rule.style.display && rule.style.display !== "none") { rules.push(rule); }
        }
    };
    for (const sheet of document.styleSheets) {
        if (sheet.href && new URL(sheet.href).origin === location.origin) { collect(sheet.cssRules); }
    }
    const shown = new Set();
    const probe = (element, why) => {
        const had = element.hasAttribute("hidden");
        element.setAttribute("hidden", "");
        if (getComputedStyle(element).display !== "none") { shown.add(why); }
        if (!had) { element.removeAttribute("hidden"); }
    };
    for (const rule of rules) {
        for (const selector of rule.selectorText.split(",")) {
            let matches = [];
            try { matches = document.querySelectorAll(selector); } catch (error) { continue; }
            matches.forEach((element) => probe(element, selector.trim()));
            for (const [, name] of selector.matchAll(/\\.([\\w-]+)/g)) {
                const element = document.createElement("div");
                element.className = name;
                document.body.append(element);
                probe(element, "." + name);
                element.remove();
            }
        }
    }
    return {rules: rules.length, shown: [...shown]};
}"""


@pytest.fixture
def post(make_user):
    """Written before Playwright starts its event loop: a new post broadcasts from on_commit."""
    board = Board.objects.create(name="Allgemeiner Austausch", slug="austausch")
    return services.create_topic(make_user(), board, "Ferien", "Weiß jemand Bescheid?").posts.get()


def test_the_notification_badge_shows_only_when_something_is_unread(live_server, post, chromium, make_user, artifacts):
    reader = make_user(display_name="Rita Leserin")
    context = chromium.new_context(**BROWSER_CONTEXT)
    log_in(context, live_server.url, reader)
    page = context.new_page()
    page.goto(live_server.url + "/forum/")

    link = page.get_by_role("navigation", name="Forum").get_by_role("link", name="Benachrichtigungen")
    assert link.inner_text().strip() == "Benachrichtigungen", "an empty badge shows"
    assert not page.locator("[data-forum-badge]").is_visible()

    Notification.objects.create(recipient=reader, kind=Notification.Kind.MENTION, actor=post.author, post=post)
    page.reload()
    assert page.locator("[data-forum-badge]").is_visible()
    assert link.inner_text().split() == ["Benachrichtigungen", "1", "ungelesen"]
    page.screenshot(path=str(artifacts / "hidden-badge-one-unread.png"))
    context.close()


def test_no_rule_of_the_stylesheets_shows_a_hidden_element(live_server, chromium, make_user):
    context = chromium.new_context(**BROWSER_CONTEXT)
    log_in(context, live_server.url, make_user())
    page = context.new_page()
    page.goto(live_server.url + "/forum/")  # site.css and the forum's own stylesheet

    found = page.evaluate(SHOWN_THOUGH_HIDDEN)

    assert found["rules"] > 30, "the stylesheets were not read"
    assert found["shown"] == [], f"shown despite the hidden attribute: {found['shown']}"
    context.close()
