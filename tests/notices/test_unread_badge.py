"""The header's "Meine Gremien" link carries the number of unread notices, with words for screen readers;
one query for a logged-in person, none for visitors."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices.context_processors import unread_notices
from notices.models import Notice


def test_the_badge_counts_the_unread_notices(logged_in, make_user, make_notices):
    person = make_user()
    make_notices(person, 5, read=2)

    html = logged_in(person).get("/netzwerk/gremien/").content.decode()

    assert '<span class="count-badge">3<span class="visually-hidden"> ungelesene Mitteilungen</span></span>' in html
    meine_gremien = html[html.index('href="/netzwerk/meine-gremien/"') :].split("</a>")[0]
    assert "count-badge" in meine_gremien


def test_one_unread_notice_is_named_in_the_singular(logged_in, make_user, make_notices):
    person = make_user()
    make_notices(person, 1)

    html = logged_in(person).get("/netzwerk/gremien/").content.decode()

    assert '1<span class="visually-hidden"> ungelesene Mitteilung</span>' in html


def test_no_badge_without_unread_notices(logged_in, make_user, make_notices):
    person = make_user()
    make_notices(person, 2, read=2)

    html = logged_in(person).get("/netzwerk/gremien/").content.decode()

    assert "count-badge" not in html
    assert "Meine Gremien" in html


def test_the_badge_costs_one_query_however_often_a_page_shows_it(
    rf, make_user, make_notices, django_assert_max_num_queries
):
    person = make_user()
    make_notices(person, 3)
    request = rf.get("/")
    request.user = person
    badge = unread_notices(request)["unread_notices"]

    with django_assert_max_num_queries(1):
        assert badge.count == 3
        assert badge.count == 3  # the menu button on phones and the link on wide screens read it both


def test_a_page_with_the_badge_counts_once(logged_in, make_user, make_notices):
    person = make_user()
    make_notices(person, 3)
    browser = logged_in(person)
    browser.get("/netzwerk/gremien/")

    with CaptureQueriesContext(connection) as queries:
        html = browser.get("/netzwerk/gremien/").content.decode()

    counting = [q["sql"] for q in queries.captured_queries if Notice._meta.db_table in q["sql"]]
    assert len(counting) == 1, counting
    assert "count-badge" in html


def test_visitors_cause_no_notice_query(client, rf, db):
    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread_notices(request) == {"unread_notices": None}

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/netzwerk/gremien/").content.decode()

    assert not [q for q in queries.captured_queries if Notice._meta.db_table in q["sql"]]
    assert "count-badge" not in html and "Anmelden" in html
