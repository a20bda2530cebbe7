from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forum import search, services
from forum.feeds import feed_token
from forum.models import Post

# Search has one implementation per database (FTS5, PostgreSQL's German full-text search).
pytestmark = pytest.mark.both_databases


@pytest.fixture
def posts(member, professional, closed_board, open_board, make_board):
    public_board = make_board("Öffentliche Hinweise", is_public=True)
    return {
        "private": services.create_topic(
            member, closed_board, "Haushaltsplanung", "Vertraulicher Sozialmonitoring Entwurf"
        ),
        "open": services.create_topic(
            professional, open_board, "Sozialmonitoring Schule", "Offene Frage zum Sozialmonitoring"
        ),
        "public": services.create_topic(
            professional, public_board, "Ferienkalender", "Öffentlicher Sozialmonitoring Hinweis"
        ),
    }


def titles(results):
    return {post.topic.title for post in results}


def test_search_finds_only_posts_the_person_may_see(posts, professional, member):
    assert titles(search.search_posts(professional, "Sozialmonitoring")) == {
        "Sozialmonitoring Schule",
        "Ferienkalender",
    }
    assert "Haushaltsplanung" in titles(search.search_posts(member, "Sozialmonitoring"))


def test_search_highlights_matches_and_escapes_everything_else(professional, open_board):
    services.create_topic(professional, open_board, "Markup", "<b>Kita</b> Platzvergabe")
    [result] = search.search_posts(professional, "Platzvergabe")
    assert "<mark>Platzvergabe</mark>" in result.highlight
    assert "<b>" not in result.highlight
    if connection.vendor == "sqlite":
        assert "&lt;b&gt;" in result.highlight


def test_search_snippets_never_carry_active_markup(professional, open_board):
    services.create_topic(
        professional, open_board, "Skript", 'Hinweis <script>alert(1)</script> <img src=x onerror="x()"> Elternabend'
    )
    [result] = search.search_posts(professional, "Elternabend")
    assert "<mark>Elternabend</mark>" in result.highlight
    assert "<script" not in result.highlight and "<img" not in result.highlight


def test_search_filters_by_board_author_date_and_tag(posts, professional, open_board, make_user):
    other = make_user()
    services.create_topic(other, open_board, "Anderes", "Sozialmonitoring von anderen", tags=["Pflege"])
    assert titles(search.search_posts(professional, "Sozialmonitoring", board=open_board)) == {
        "Sozialmonitoring Schule",
        "Anderes",
    }
    assert titles(search.search_posts(professional, "Sozialmonitoring", author=other)) == {"Anderes"}
    from forum.models import Tag

    assert titles(search.search_posts(professional, "Sozialmonitoring", tag=Tag.objects.get(slug="pflege"))) == {
        "Anderes"
    }
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert search.search_posts(professional, "Sozialmonitoring", date_from=tomorrow) == []


def test_search_input_with_query_syntax_is_treated_as_plain_words(posts, professional):
    assert search.search_posts(professional, 'Sozialmonitoring" OR NEAR(') == []
    assert search.search_posts(professional, '"Sozialmonitoring"')


def test_deleted_and_hidden_posts_leave_the_search(posts, professional, coordination):
    post = posts["open"].posts.get()
    services.delete_post(professional, post)
    assert "Sozialmonitoring Schule" not in titles(search.search_posts(professional, "Sozialmonitoring"))


def test_the_search_page_never_shows_a_private_post_to_a_non_member(client, posts, professional):
    client.force_login(professional)
    content = client.get(reverse("forum:search"), {"q": "Sozialmonitoring"}).content.decode()
    assert "Sozialmonitoring Schule" in content and "Haushaltsplanung" not in content


def test_the_public_feed_carries_only_posts_from_public_boards(client, posts):
    content = client.get(reverse("forum:feed_public")).content.decode()
    assert "Ferienkalender" in content
    assert "Haushaltsplanung" not in content and "Sozialmonitoring Schule" not in content


def test_the_private_feed_shows_watched_boards_the_person_may_still_read(
    client, posts, member, closed_board, open_board
):
    services.set_board_watch(member, closed_board, "watching")
    url = reverse("forum:feed_watched", args=[feed_token(member)])
    assert "Haushaltsplanung" in client.get(url).content.decode()
    member.memberships.all().delete()
    assert "Haushaltsplanung" not in client.get(url).content.decode()


def test_a_forged_feed_token_is_refused(client, db):
    assert client.get(reverse("forum:feed_watched", args=["1:forged"])).status_code == 404


def test_the_newsletter_selectors_see_only_public_topics(posts, closed_body, member):
    from forum.selectors import latest_topics_for_body, most_active_public_topics

    since = timezone.now() - timedelta(days=7)
    assert [topic.title for topic in most_active_public_topics(since, 5)] == ["Ferienkalender"]
    assert [topic.title for topic in latest_topics_for_body(closed_body, member)] == ["Haushaltsplanung"]
    from django.contrib.auth.models import AnonymousUser

    assert latest_topics_for_body(closed_body, AnonymousUser()) == []
    assert Post.objects.count() == 3
