"""A person downloads everything the platform stores about them, as one JSON file."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.models import EventPage, EventRegistration
from forum.models import Board, Reaction
from forum.services import create_post, create_topic, edit_post, set_board_watch
from network.models import JoinRequest, Membership
from network.services import invite
from newsletter import services as newsletter_services
from newsletter.models import Newsletter

DOWNLOAD_URL = reverse("network:personal_data_download")


@pytest.fixture
def board(db):
    return Board.objects.create(name="Allgemeines", slug="allgemeines", kind=Board.Kind.GENERAL)


@pytest.fixture
def anna(make_user, make_organisation):
    return make_user(
        "anna@kita.example.org",
        display_name="Anna Äpfelbäum",
        job_title="Kita-Leitung",
        organisation=make_organisation("Kita Sonnenschein"),
    )


@pytest.fixture
def bert(make_user):
    return make_user("bert@schule.example.org", display_name="Bert Birnbaum")


def download(browser):
    response = browser.get(DOWNLOAD_URL)
    assert response.status_code == 200
    return response, json.loads(response.content.decode("utf-8"))


def write_posts(anna, bert, board, replies, round=0):
    suffix = f" ({round})" if round else ""
    topic = create_topic(anna, board, "Übergänge gestalten" + suffix, "Annas Eröffnung über Übergänge" + suffix)
    for number in range(replies):
        create_post(anna, topic, f"Annas Beitrag Nummer {number}{suffix}")
    create_post(bert, topic, "Berts geheime Antwort" + suffix)
    return topic


def test_the_download_is_an_utf8_json_attachment_with_readable_umlauts(logged_in, anna):
    response, data = download(logged_in(anna))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sozialraum-meine-daten-')
    assert "Anna Äpfelbäum".encode() in response.content, "umlauts are written as they are, not as \\u escapes"
    assert data["network"]["profile"]["display_name"] == "Anna Äpfelbäum"
    assert data["network"]["profile"]["job_title"] == "Kita-Leitung"
    assert data["network"]["organisation"]["name"] == "Kita Sonnenschein"
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_download_needs_a_login(client):
    response = client.get(DOWNLOAD_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_data_page_offers_the_download(logged_in, anna):
    html = logged_in(anna).get(reverse("network:personal_data")).content.decode()

    assert "Meine Daten herunterladen" in html
    assert f'href="{DOWNLOAD_URL}"' in html


def test_the_download_holds_the_persons_forum_activity_and_nobody_elses(
    logged_in, anna, bert, board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = write_posts(anna, bert, board, replies=1)
    opening = topic.posts.get(number=1)
    edit_post(anna, opening, "Annas überarbeitete Eröffnung")
    berts = topic.posts.get(author=bert)
    Reaction.objects.create(post=berts, user=anna, kind=Reaction.Kind.THANKS)
    set_board_watch(anna, board, "watching")
    create_post(bert, topic, "Noch eine Antwort von Bert")

    _response, data = download(logged_in(anna))

    forum = data["forum"]
    texts = [post["text"] for post in forum["posts"]]
    assert texts == ["Annas überarbeitete Eröffnung", "Annas Beitrag Nummer 0"]
    assert forum["posts"][0]["topic"] == "Übergänge gestalten"
    assert forum["posts"][0]["board"] == "Allgemeines"
    assert [revision["previous_text"] for revision in forum["revisions"]] == ["Annas Eröffnung über Übergänge"]
    assert [started["title"] for started in forum["topics_started"]] == ["Übergänge gestalten"]
    assert forum["reactions"] == [{"post_id": berts.pk, "topic": "Übergänge gestalten", "kind": "Danke"}]
    assert forum["watched_boards"] == [{"board": "Allgemeines", "level": "beobachten"}]
    assert {watch["topic"] for watch in forum["watched_topics"]} == {"Übergänge gestalten"}
    assert forum["notifications"], "Bert's replies notified Anna"
    assert "Berts geheime Antwort" not in json.dumps(data, ensure_ascii=False)


def test_the_download_holds_memberships_requests_invitations_and_addresses(
    logged_in, anna, make_body, add_member, coordinator
):
    add_member(anna, make_body("FG Kita"), Membership.Role.MODERATOR)
    closed = make_body("Lenkungsrunde", members_only=True)
    JoinRequest.objects.create(user=anna, body=closed, message="Ich möchte mitarbeiten")
    EmailAddress.objects.create(user=anna, email="anna.privat@example.org", verified=True)
    add_member(coordinator, closed, Membership.Role.MODERATOR)
    invite(coordinator, closed, "Anna.Privat@example.org")

    _response, data = download(logged_in(anna))

    network = data["network"]
    assert network["memberships"] == [
        {"body": "FG Kita", "role": "Moderation", "since": timezone.localdate().isoformat()}
    ]
    assert [(request["body"], request["message"]) for request in network["join_requests"]] == [
        ("Lenkungsrunde", "Ich möchte mitarbeiten")
    ]
    assert [invitation["body"] for invitation in network["invitations_received"]] == ["Lenkungsrunde"]
    assert {address["email"] for address in network["email_addresses"]} == {
        "anna@kita.example.org",
        "anna.privat@example.org",
    }


@pytest.mark.both_databases
def test_the_download_holds_newsletter_consents_and_event_registrations_by_address(logged_in, anna, bert, page_tree):
    EmailAddress.objects.create(user=anna, email="anna.privat@example.org", verified=True)
    letter = Newsletter.objects.create(
        name="Netzwerkbrief", slug="netzwerkbrief", sender_name="Stadt", sender_email="n@example.org"
    )
    newsletter_services.subscribe(
        letter, "Anna.Privat@example.org", source_detail="/newsletter/", ip_address="192.0.2.7"
    )
    newsletter_services.subscribe(
        letter, "bert@schule.example.org", source_detail="/newsletter/", ip_address="192.0.2.8"
    )
    event = page_tree.events.add_child(
        instance=EventPage(
            title="Sozialraumkonferenz",
            slug="konferenz",
            start=timezone.now() + timedelta(days=30),
            location="Rathaus",
            intro="Jährlich",
        )
    )
    EventRegistration.objects.create(event=event, name="Anna", email="anna@kita.example.org", remarks="vegetarisch")
    EventRegistration.objects.create(event=event, name="Bert", email="bert@schule.example.org")

    _response, data = download(logged_in(anna))

    subscriptions = data["newsletter"]["subscriptions"]
    assert [(entry["newsletter"], entry["email"], entry["status"]) for entry in subscriptions] == [
        ("Netzwerkbrief", "Anna.Privat@example.org", "unbestätigt")
    ]
    consent = subscriptions[0]["consent_records"][0]
    assert consent["ip_address"] == "192.0.2.7"
    assert "Netzwerkbrief" in consent["consent_text"]
    registrations = data["cms"]["event_registrations"]
    assert [(entry["event"], entry["remarks"]) for entry in registrations] == [("Sozialraumkonferenz", "vegetarisch")]
    assert "bert@schule.example.org" not in json.dumps(data)


@pytest.mark.both_databases
def test_the_download_costs_the_same_queries_for_few_and_many_posts(logged_in, anna, bert, board, make_user):
    browser = logged_in(anna)
    write_posts(anna, bert, board, replies=2)
    browser.get(DOWNLOAD_URL)  # warms caches that have nothing to do with the amount of data

    with CaptureQueriesContext(connection) as few:
        download(browser)
    for round in range(1, 4):
        write_posts(anna, bert, board, replies=8, round=round)
    with CaptureQueriesContext(connection) as many:
        download(browser)

    assert len(many) == len(few), "queries must not grow with the number of posts"
    # A fixed few per app's part (core.privacy): the minutes', documents', conference's, surveys' and notices'
    # parts added theirs.
    assert len(few) <= 43
