"""The topic page reads the reader's unread notices with its own topic query; the menu's badge shows
that number as on every other page, and the page asks no query of its own for it."""

import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices import services as notice_services
from planning.announcements import PHASE_KIND


def send(person, count):
    return [
        notice_services.send_notices([person], kind=PHASE_KIND, title=f"Mitteilung {number}", text="Text", url="/")[0]
        for number in range(count)
    ]


def test_the_topic_page_badge_counts_the_readers_unread_notices(
    client, professional, open_board, make_topic, make_user
):
    unread = random.Random(16).randint(2, 9)
    send(professional, unread)
    topic = make_topic(open_board, make_user(), posts=3)
    client.force_login(professional)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(topic.get_absolute_url()).content.decode()

    badge = f'<span class="count-badge">{unread}<span class="visually-hidden"> ungelesene Mitteilungen</span></span>'
    assert html.count(badge) == 2  # the menu button on phones and the "Meine Gremien" link
    notice_queries = [query["sql"] for query in queries.captured_queries if "notices_notice" in query["sql"]]
    assert len(notice_queries) == 1 and "forum_topic" in notice_queries[0]


def test_the_topic_page_shows_no_badge_once_the_notices_are_read(
    client, professional, open_board, make_topic, make_user
):
    for notice in send(professional, 2):
        notice_services.mark_read(professional, notice)
    topic = make_topic(open_board, make_user(), posts=3)
    client.force_login(professional)

    html = client.get(topic.get_absolute_url()).content.decode()

    assert "count-badge" not in html
    assert "Meine Gremien" in html
