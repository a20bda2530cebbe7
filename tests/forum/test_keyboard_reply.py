"""A professional answers in a forum topic with the keyboard alone, seeing where the focus is at every step."""

import re

import pytest

from forum.models import Post

from ..browser_site import BROWSER_CONTEXT, build_site, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a sighted keyboard user sees of the focused element: its outline as the browser draws it.
FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName.toLowerCase(),
        name: element.getAttribute("name") || "",
        type: element.getAttribute("type") || "",
        text: (element.innerText || element.value || "").trim().slice(0, 60),
        inPost: element.closest("article.forum-post")?.id || "",
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        outlineColor: style.outlineColor,
    };
}"""
MOST_TAB_STOPS = 150


@pytest.fixture
def site(transactional_db):
    return build_site()


def assert_focus_visible(focused):
    assert focused["outlineStyle"] not in ("none", "hidden") and focused["outlineWidth"] >= 2, (
        f"no visible focus indicator on {focused}"
    )


def press(page, key):
    page.keyboard.press(key)
    focused = page.evaluate(FOCUSED)
    assert_focus_visible(focused)
    return focused


def tab_until(page, wanted, key="Tab"):
    """Press Tab until the wanted element has the focus, checking the focus ring on every stop on the way."""
    for _stop in range(MOST_TAB_STOPS):
        focused = press(page, key)
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached with {MOST_TAB_STOPS} presses of {key}")


def test_professional_replies_to_a_topic_with_the_keyboard_only(live_server, site, chromium, artifacts):
    context = chromium.new_context(**BROWSER_CONTEXT)
    log_in(context, live_server.url, site.professional)
    page = context.new_page()
    page.goto(live_server.url + site.topic.get_absolute_url())

    skip_link = press(page, "Tab")
    assert skip_link["text"] == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt", "the skip link moves the focus to the content"
    page.screenshot(path=str(artifacts / "keyboard-skip-link.png"))

    textarea = tab_until(page, lambda focused: focused["tag"] == "textarea")
    assert textarea["name"] == "text"
    page.keyboard.type("Wir sind mit zwei Gruppen dabei und bringen *Seile* mit.")
    page.screenshot(path=str(artifacts / "keyboard-reply-typed.png"))

    send = tab_until(page, lambda focused: focused["type"] == "submit")
    assert send["text"] == "Antwort senden"
    attachments = press(page, "Shift+Tab")
    assert attachments["type"] == "file", "Shift+Tab goes back to the field before the send button"
    assert press(page, "Tab")["text"] == "Antwort senden"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#beitrag-5$"))

    reply = Post.objects.get(topic=site.topic, number=5)
    assert reply.author == site.professional
    assert "<em>Seile</em>" in reply.html
    new_post = page.locator("#beitrag-5")
    assert new_post.is_visible()
    assert (
        new_post.locator(".forum-post__body").inner_text() == "Wir sind mit zwei Gruppen dabei und bringen Seile mit."
    )
    page.screenshot(path=str(artifacts / "keyboard-reply-sent.png"))
    top = round(new_post.evaluate("(post) => post.getBoundingClientRect().top"))
    assert 0 <= top < BROWSER_CONTEXT["viewport"]["height"], f"the page opens at the new post (its top is at {top}px)"

    # The keyboard goes on from the new post, not from the top of the page.
    after_send = press(page, "Tab")
    assert after_send["inPost"] == "beitrag-5", f"Tab after sending should stay in the new post, focused {after_send}"
    assert after_send["text"] == site.professional.display_name
    page.screenshot(path=str(artifacts / "keyboard-focus-after-reply.png"))
    context.close()
