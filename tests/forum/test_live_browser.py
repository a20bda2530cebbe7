"""Two members in Chromium: a reply sent through the normal form appears on the other screen without reloading."""

import pytest

from forum import services

from .conftest import page_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(make_user, closed_body, closed_board, add_member, member, make_topic):
    # Made before Playwright starts: its sync API runs an event loop in this thread, and the
    # live layer's signal handlers cannot send from a thread with a running loop.
    colleague = make_user(display_name="Kai Kollege")
    add_member(colleague, closed_body)
    topic = make_topic(closed_board, member, title="Ferienangebote 2026", posts=2)
    services.set_topic_watch(member, topic, "watching")
    return colleague, topic


def test_a_reply_appears_for_the_other_reader_without_reload(
    daphne_url, scene, member, closed_board, chromium, artifacts
):
    from playwright.sync_api import expect

    colleague, topic = scene
    reader = page_for(chromium, daphne_url, member)
    writer = page_for(chromium, daphne_url, colleague)

    reader.goto(f"{daphne_url}{topic.get_absolute_url()}")
    writer.goto(f"{daphne_url}{topic.get_absolute_url()}")
    # Both live connections stand once each page counts two readers.
    expect(reader.locator("[data-forum-readers]")).to_have_text("2 Personen lesen dieses Thema gerade.", timeout=5000)

    writer.fill("textarea[name=text]", "Wir bieten in den Sommerferien ein **Kletterprojekt** an.")
    expect(reader.locator("[data-forum-typing]")).to_have_text("Kai Kollege schreibt gerade …", timeout=2000)
    writer.locator("form[action$='/antworten/'] [type=submit]").click()
    writer.wait_for_load_state()

    new_post = reader.locator(".forum-post", has_text="Kletterprojekt")
    expect(new_post).to_be_visible(timeout=1000)
    expect(reader.locator("[data-forum-status]")).to_have_text("1 neuer Beitrag von Kai Kollege")
    expect(reader.locator("[data-forum-badge-count]")).to_have_text("1")
    expect(reader.locator("[data-forum-typing]")).to_have_text("")
    reader.screenshot(path=str(artifacts / "forum-topic-live.png"), full_page=True)

    reader.goto(f"{daphne_url}/forum/")
    reader.screenshot(path=str(artifacts / "forum-board-list.png"), full_page=True)
    reader.goto(f"{daphne_url}{closed_board.get_absolute_url()}")
    reader.screenshot(path=str(artifacts / "forum-board.png"), full_page=True)
    reader.goto(f"{daphne_url}/forum/benachrichtigungen/")
    expect(reader.locator(".forum-notifications")).to_contain_text("Ferienangebote 2026")
    reader.screenshot(path=str(artifacts / "forum-notifications.png"), full_page=True)
