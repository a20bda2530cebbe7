"""The home page and a body page cost the same number of queries with 3 bodies, topics and meetings as
with 15 (issue #16: ≤ 10 queries, constant). Counted on the warm page, as every visitor after the first
gets it; timings live in bench/ (bench/drivers/pages_ours.py), never here."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import EventPage
from meetings.models import Meeting, Visibility

random.seed(16)


def grow(page_tree, body, board, author, make_body, make_topic, count):
    """Bodies (each with its page), topics of `board` and meetings and events of `body`, up to `count` each."""
    now = timezone.now()
    for number in range(count):
        make_body(f"Gremium {random.randrange(10**6)}-{number}")
        make_topic(board, author, title=f"Thema {number} der Gruppe")
        Meeting.objects.create(body=body, title=f"Sitzung {number}", start=now + timedelta(days=number + 1),
                               end=now + timedelta(days=number + 1, hours=2), visibility=Visibility.PUBLIC)  # fmt: skip
        page_tree.events.add_child(
            instance=EventPage(title=f"Termin {number}", start=now + timedelta(days=number + 1), location="Rathaus",
                               intro="Ein Termin.", network_body=body)
        )  # fmt: skip


def warm_queries(client, url, expected):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    for text in expected:
        assert text in content
    return len(captured)


@pytest.fixture
def site_with(page_tree, make_body, make_user, add_member, make_topic, logged_in):
    body = make_body("FG Gezählt", slug="fg-gezaehlt")
    board = body.forum_board
    board.is_public = True
    board.save()
    member = make_user(display_name="Mia Mitglied")
    add_member(member, body)

    def at(count):
        grow(page_tree, body, board, member, make_body, make_topic, count)
        return body.page.url

    return at, logged_in(None), logged_in(member)


def test_home_and_body_page_cost_the_same_few_queries_with_three_and_with_fifteen_of_everything(site_with):
    at, visitor, member = site_with
    url = at(3)
    small = {
        "home visitor": warm_queries(visitor, "/", ["FG Gezählt", "Termin 0"]),
        "home member": warm_queries(member, "/", ["FG Gezählt", "Termin 0"]),
        "body visitor": warm_queries(visitor, url, ["Thema 2 der Gruppe", "Sitzung 0"]),
        "body member": warm_queries(member, url, ["Thema 2 der Gruppe", "Sitzung 0"]),
    }
    at(12)
    large = {
        "home visitor": warm_queries(visitor, "/", ["FG Gezählt", "Termin 0"]),
        "home member": warm_queries(member, "/", ["FG Gezählt", "Termin 0"]),
        "body visitor": warm_queries(visitor, url, ["Thema 11 der Gruppe", "Sitzung 0"]),
        "body member": warm_queries(member, url, ["Thema 11 der Gruppe", "Sitzung 0"]),
    }
    assert large == small
    # Warm, a visitor's page costs the view restrictions of the page (the Site, the routed page with its body
    # and the sections are cached); a member's adds the session, the user, their roles and the menu's count of
    # unread notices.
    bounds = {"home visitor": 1, "home member": 5, "body visitor": 1, "body member": 5}
    assert {page: small[page] for page in bounds if small[page] > bounds[page]} == {}
