"""The topic page keeps each post's HTML in the cache, shared by everyone who sees the same;
nothing anyone changes may be hidden behind an old copy, and nothing personal may leak."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import services

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def page(browser, topic):
    return browser.get(topic.get_absolute_url()).content.decode()


def test_an_edit_shows_at_once_although_the_page_was_cached(logged_in, member, closed_board):
    topic = services.create_topic(member, closed_board, "Ferien", "Alter Text zum Ferienprogramm")
    browser = logged_in(member)
    assert "Alter Text" in page(browser, topic)

    services.edit_post(member, topic.posts.get(), "Neuer Text zum Ferienprogramm")

    html = page(browser, topic)
    assert "Neuer Text" in html and "Alter Text" not in html


def test_a_renamed_author_and_a_new_reaction_show_at_once(
    logged_in, member, make_user, add_member, closed_body, closed_board
):
    reader = make_user(display_name="Rita Reaktion")
    add_member(reader, closed_body)
    topic = services.create_topic(member, closed_board, "Ferien", "Wer macht mit?")
    browser = logged_in(reader)
    page(browser, topic)

    member.display_name = "Mia Umbenannt"
    member.save()
    services.toggle_reaction(reader, topic.posts.get(), "thanks")

    html = page(browser, topic)
    assert "Mia Umbenannt" in html
    assert re.search(r'value="thanks"[^>]*aria-pressed="true"', html)


def test_people_share_a_post_but_never_their_buttons_or_csrf_tokens(
    member, make_user, add_member, closed_body, closed_board
):
    colleague = make_user(display_name="Kim Kollegin")
    add_member(colleague, closed_body)
    topic = services.create_topic(member, closed_board, "Ferien", "Wer macht mit?")
    post = topic.posts.get()
    author_browser, colleague_browser = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    author_browser.force_login(member)
    colleague_browser.force_login(colleague)

    author_page, colleague_page = page(author_browser, topic), page(colleague_browser, topic)

    edit_link = f"/forum/beitrag/{post.pk}/bearbeiten/"
    assert edit_link in author_page and edit_link not in colleague_page
    author_token, colleague_token = (
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        for html in (author_page, colleague_page)
    )
    react = f"/forum/beitrag/{post.pk}/reagieren/"
    assert author_browser.post(react, {"kind": "thanks", "csrfmiddlewaretoken": colleague_token}).status_code == 403
    assert author_browser.post(react, {"kind": "thanks", "csrfmiddlewaretoken": author_token}).status_code == 302
    assert colleague_browser.post(react, {"kind": "thanks", "csrfmiddlewaretoken": colleague_token}).status_code == 302


def test_posts_without_files_cost_no_query_for_attachments(logged_in, member, closed_board):
    plain = services.create_topic(member, closed_board, "Ohne Anhang", "Nur Text")
    with_file = services.create_topic(
        member, closed_board, "Mit Anhang", "Siehe Protokoll", files=[SimpleUploadedFile("Protokoll.pdf", PDF)]
    )
    browser = logged_in(member)

    with CaptureQueriesContext(connection) as plain_queries:
        page(browser, plain)
    html = page(browser, with_file)

    assert not [query for query in plain_queries.captured_queries if "forum_attachment" in query["sql"]]
    assert "Protokoll.pdf" in html
