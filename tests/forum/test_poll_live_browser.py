"""Two members in Chromium: a vote cast in one browser changes the results in the other without reloading,
on a phone as on a desktop."""

import pytest

from forum import services

from .conftest import page_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(make_user, closed_body, closed_board, add_member, member, make_topic):
    # Made before Playwright starts: its sync API runs an event loop in this thread.
    colleague = make_user(display_name="Kai Kollege")
    add_member(colleague, closed_body)
    topic = make_topic(closed_board, member, title="Fachtag Übergänge 2027")
    poll = services.create_poll(member, topic, "Wo soll der Fachtag stattfinden?", ["Rathaus", "Stadtbibliothek"])
    services.cast_vote(member, poll, [poll.options.get(text="Rathaus").pk])
    return colleague, topic, poll


def test_a_vote_changes_the_results_in_the_other_browser(daphne_url, scene, member, chromium, artifacts):
    from playwright.sync_api import expect

    colleague, topic, poll = scene
    watcher = page_for(chromium, daphne_url, member)
    voter = page_for(chromium, daphne_url, colleague, width=390)
    watcher.goto(f"{daphne_url}{topic.get_absolute_url()}")
    voter.goto(f"{daphne_url}{topic.get_absolute_url()}")
    expect(watcher.locator("[data-forum-readers]")).to_have_text("2 Personen lesen dieses Thema gerade.", timeout=5000)
    results = watcher.locator(f"[data-poll-results='{poll.pk}']")
    expect(results).to_contain_text("1 Person hat abgestimmt.")

    voter.get_by_label("Stadtbibliothek").check()
    voter.get_by_role("button", name="Abstimmen").click()
    voter.wait_for_load_state()

    expect(results).to_contain_text("2 Personen haben abgestimmt.", timeout=2000)
    library = poll.options.get(text="Stadtbibliothek")
    expect(watcher.locator(f"[data-poll-count='{library.pk}']")).to_have_text("1")
    expect(voter.locator(".forum-poll")).to_contain_text("Ihre Wahl")
    watcher.screenshot(path=str(artifacts / "forum-poll-live.png"), full_page=True)
    voter.screenshot(path=str(artifacts / "forum-poll-phone.png"), full_page=True)
