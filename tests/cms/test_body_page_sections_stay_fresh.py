"""A body page's sections (meetings, minutes, documents, forum topics, members) are cached per reader
(cms.models.NetworkBodyPage.sections_key): a change shows at the next request, and what one reader may see
never reaches another through the cache."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Document
from documents.models import Visibility as DocumentVisibility
from forum import services as forum_services
from meetings import recurrence
from meetings import services as meeting_services
from meetings.models import Meeting, Visibility

random.seed(16)


def page_of(client, body):
    response = client.get(body.page.url)
    assert response.status_code == 200
    return response.content.decode()


def a_meeting(body, title, visibility=Visibility.PUBLIC, days=None):
    start = timezone.now() + timedelta(days=days or random.randint(2, 20), hours=2)
    return Meeting.objects.create(body=body, title=title, start=start, end=start + timedelta(hours=2),
                                  place="Rathaus Teltow", visibility=visibility)  # fmt: skip


@pytest.fixture
def public_board(closed_body):
    board = closed_body.forum_board
    board.is_public = True
    board.save()
    return board


def test_a_new_topic_shows_at_once_and_a_hidden_one_leaves_at_once(
    page_tree, closed_body, public_board, member, coordination, make_topic, client
):
    assert "Im Forum dieses Gremiums gibt es noch keine Themen" in page_of(client, closed_body)

    topic = make_topic(public_board, member, title="Ferienprogramm im Sommer")
    assert "Ferienprogramm im Sommer" in page_of(client, closed_body)

    forum_services.set_post_hidden(coordination, topic.posts.get(number=1), True, reason="Doppelt")
    html = page_of(client, closed_body)
    assert "Ferienprogramm im Sommer" not in html
    assert "Im Forum dieses Gremiums gibt es noch keine Themen" in html


def test_a_new_meeting_and_a_cancelled_series_show_at_once(page_tree, closed_body, moderator, client):
    assert "Keine anstehenden Termine." in page_of(client, closed_body)

    a_meeting(closed_body, "Offene Sprechstunde")
    assert "Offene Sprechstunde" in page_of(client, closed_body)

    start = timezone.now() + timedelta(days=1, hours=3)
    first = meeting_services.schedule_meeting(
        moderator, closed_body, title="Wöchentliche Runde", start=start, end=start + timedelta(hours=1),
        place="Bürgerhaus", visibility=Visibility.PUBLIC, repeat=recurrence.Repeat.WEEKLY,
        repeat_until=(start + timedelta(days=21)).date(),
    )  # fmt: skip
    html = page_of(client, closed_body)
    assert "Wöchentliche Runde" in html and "Abgesagt: Wöchentliche Runde" not in html

    # The whole series is cancelled in one UPDATE, which sends no signal of its own.
    meeting_services.cancel_meeting(moderator, first, scope=meeting_services.Scope.SERIES)
    assert "Abgesagt: Wöchentliche Runde" in page_of(client, closed_body)


def test_a_new_public_document_shows_at_once(page_tree, closed_body, moderator, client):
    page_of(client, closed_body)
    Document.objects.create(body=closed_body, title="Protokollvorlage 2027", visibility=DocumentVisibility.PUBLIC,
                            created_by=moderator)  # fmt: skip
    assert "Protokollvorlage 2027" in page_of(client, closed_body)


def test_a_new_member_sees_the_members_sections_and_the_list_with_themself_at_once(
    page_tree, closed_body, member, professional, add_member, logged_in
):
    a_meeting(closed_body, "Interne Klausur", visibility=Visibility.MEMBERS)
    browser = logged_in(professional)
    html = page_of(browser, closed_body)
    assert "Interne Klausur" not in html
    assert "Die Mitgliederliste ist nur für Mitglieder bzw. freigegebene Fachkräfte sichtbar." in html

    add_member(professional, closed_body)

    html = page_of(browser, closed_body)
    assert "Interne Klausur" in html
    assert professional.public_name in html and member.public_name in html
    assert "Sie sind Mitglied in diesem Gremium." in html


def test_what_a_member_sees_never_reaches_a_visitor_or_an_outsider_through_the_cache(
    page_tree, closed_body, member, professional, logged_in
):
    a_meeting(closed_body, "Interne Klausur", visibility=Visibility.MEMBERS)
    a_meeting(closed_body, "Öffentliche Sitzung")
    assert "Interne Klausur" in page_of(logged_in(member), closed_body)

    for reader in (logged_in(None), logged_in(professional)):
        html = page_of(reader, closed_body)
        assert "Öffentliche Sitzung" in html
        assert "Interne Klausur" not in html
        assert member.public_name not in html
    # A visitor's sections are shared by every visitor, so they must hold no form with a CSRF token: the one
    # token on the page is the footer's language form, rendered for each request.
    assert page_of(logged_in(None), closed_body).count("csrfmiddlewaretoken") == 1
    # And the member, after them, still sees their own.
    assert "Interne Klausur" in page_of(logged_in(member), closed_body)
