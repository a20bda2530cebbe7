import re

import pytest
from django.urls import reverse

from forum import selectors, services

# The topic page and the posting services have database-specific queries (JSON aggregates, locks).
pytestmark = pytest.mark.both_databases


def test_a_topic_is_unread_until_opened_and_new_posts_make_it_unread_again(
    client, professional, open_board, make_topic, make_user
):
    topic = make_topic(open_board, make_user(), posts=3)
    board = lambda: next(b for b in selectors.boards_for_index(professional) if b.pk == open_board.pk)  # noqa: E731
    assert board().unread_count == 1
    client.force_login(professional)
    client.get(topic.get_absolute_url())
    assert board().unread_count == 0
    services.create_post(make_user(), topic, "Noch eine Antwort")
    assert board().unread_count == 1


def test_the_unread_link_jumps_to_the_first_unread_post(client, professional, open_board, make_topic, make_user):
    topic = make_topic(open_board, make_user(), posts=45)
    services.mark_read(professional, topic, 22)
    client.force_login(professional)
    response = client.get(reverse("forum:topic_unread", args=[topic.pk]))
    assert response["Location"].endswith("?seite=2#beitrag-23")


def test_new_posts_are_marked_as_new_on_the_topic_page(client, professional, open_board, make_topic, make_user):
    topic = make_topic(open_board, make_user(), posts=3)
    services.mark_read(professional, topic, 2)
    client.force_login(professional)
    response = client.get(topic.get_absolute_url())
    assert [post.is_new for post in response.context["page"].object_list] == [False, False, True]


def test_reading_an_old_page_does_not_move_the_read_mark_back(professional, open_board, make_topic, make_user):
    topic = make_topic(open_board, make_user(), posts=3)
    services.mark_read(professional, topic, 3)
    services.mark_read(professional, topic, 1)
    assert selectors.read_number(professional, topic) == 3


@pytest.mark.parametrize("posts", [10, 200])
def test_the_topic_page_needs_the_same_few_queries_however_long_the_topic(
    client, professional, open_board, make_topic, make_user, django_assert_max_num_queries, posts
):
    topic = make_topic(open_board, make_user(), posts=posts)
    client.force_login(professional)
    last_page = f"{topic.get_absolute_url()}?seite={selectors.page_of_post(posts)}"
    client.get(last_page)  # the first visit creates the read mark and fills the site-wide link cache
    # Session, user and roles; the topic with its tags and the reader's read mark, watch level,
    # suspension, unread notifications and the unread notices of the menu's badge; the posts with
    # their reactions (none of them has a file).
    with django_assert_max_num_queries(5):
        response = client.get(last_page)
    assert response.status_code == 200
    assert response.context["page"].object_list[-1].number == posts


def test_a_page_shows_its_range_of_post_numbers_and_links_the_pages_around_it(
    client, professional, open_board, make_topic, make_user
):
    topic = make_topic(open_board, make_user(), posts=205)
    client.force_login(professional)
    response = client.get(f"{topic.get_absolute_url()}?seite=6")
    assert [post.number for post in response.context["page"].object_list] == list(range(101, 121))
    shown = [int(number) for number in re.findall(r'href="\?seite=(\d+)"', response.content.decode())]
    assert shown == [5, 1, 4, 5, 7, 8, 11, 7]  # back, first, ±2, last, next
    assert "…" in response.content.decode()
    assert [post.number for post in client.get(f"{topic.get_absolute_url()}?seite=99").context["page"].object_list] == [
        201,
        202,
        203,
        204,
        205,
    ]


@pytest.mark.parametrize("topics", [3, 60])
def test_the_board_list_needs_the_same_few_queries_however_many_topics(
    client, professional, make_body, make_topic, make_user, django_assert_max_num_queries, topics
):
    author = make_user()
    board = None
    for index in range(topics):
        body = make_body() if index < 10 else None
        board = body.forum_board if body else make_body().forum_board if index % 20 == 0 else board
        make_topic(board, author, posts=2)
    client.force_login(professional)
    client.get(reverse("forum:board_list"))  # fills the site-wide link cache, as any earlier visit would
    # Session, user and roles; the visible boards with their latest topics, the unread counts.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("forum:board_list"))
    assert response.status_code == 200
