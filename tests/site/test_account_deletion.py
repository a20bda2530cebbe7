"""A person deletes their account: their data goes, the conversation they took part in stays."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from core import privacy
from forum import rendering, search
from forum.models import AuditLog, Board, Notification, Post, Topic, TopicSubscription
from forum.services import create_post, create_topic, suspend_user
from network.models import JoinRequest, Membership, User
from newsletter import services as newsletter_services
from newsletter.models import ConsentRecord, Newsletter, Subscriber, Subscription

PASSWORD = "geheim-passwort-123"
DELETE_URL = reverse("network:delete_account")


@pytest.fixture
def board(db):
    return Board.objects.create(name="Allgemeines", slug="allgemeines", kind=Board.Kind.GENERAL)


@pytest.fixture
def anna(make_user):
    return make_user("anna@kita.example.org", display_name="Anna Apfelbaum")


@pytest.fixture
def bert(make_user):
    return make_user("bert@schule.example.org", display_name="Bert Birnbaum")


@pytest.fixture
def conversation(board, anna, bert, django_capture_on_commit_callbacks):
    """Anna opens a topic, Bert replies, Anna answers; Anna also has a topic nobody answered and a reply in Bert's topic."""
    with django_capture_on_commit_callbacks(execute=True):
        shared = create_topic(anna, board, "Übergang Kita–Schule", "Annas Frage zur Schuleingangsphase")
        create_post(bert, shared, "Berts Antwort mit Erfahrungen")
        create_post(anna, shared, "Annas Dank für die Hinweise")
        lonely = create_topic(anna, board, "Annas Selbstgespräch", "Niemand hat hier geantwortet")
        berts = create_topic(bert, board, "Berts Thema", "Berts Eröffnung")
        create_post(anna, berts, "Annas Einwurf bei Bert")
    return shared, lonely, berts


def delete(client, password=PASSWORD, delete_posts=False, **extra):
    data = {"password": password, **({"delete_posts": "on"} if delete_posts else {})}
    return client.post(DELETE_URL, data, **extra)


def test_the_deletion_page_asks_for_the_password_and_offers_to_delete_the_posts(logged_in, anna):
    page = logged_in(anna).get(DELETE_URL)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="password"' in html
    assert "Auch meine Beiträge löschen" in html
    assert User.objects.filter(pk=anna.pk).exists(), "opening the page deletes nothing"


def test_the_account_area_links_the_deletion_and_the_data_download(logged_in, anna):
    html = logged_in(anna).get(reverse("network:profile")).content.decode()

    assert f'href="{DELETE_URL}"' in html
    assert f'href="{reverse("network:personal_data")}"' in html


@pytest.mark.both_databases
def test_posts_stay_with_their_text_under_geloeschte_person(logged_in, anna, bert, conversation, page_tree):
    shared, lonely, _berts = conversation
    browser = logged_in(anna)

    response = delete(browser, follow=True)

    assert response.status_code == 200
    assert "Ihr Konto wurde gelöscht" in response.content.decode()
    assert not User.objects.filter(email="anna@kita.example.org").exists()
    page = logged_in(bert).get(shared.get_absolute_url()).content.decode()
    assert "gelöschte Person" in page
    assert "Annas Frage zur Schuleingangsphase" in page
    assert "Annas Dank für die Hinweise" in page
    assert "Anna Apfelbaum" not in page
    assert Topic.objects.filter(pk=lonely.pk).exists(), "without the checkbox even unanswered topics stay"
    assert [post.highlight for post in search.search_posts(bert, "Schuleingangsphase")], "the kept text stays findable"


@pytest.mark.both_databases
def test_with_the_checkbox_the_text_is_gone_but_replies_of_others_stay(logged_in, anna, bert, conversation):
    shared, lonely, berts = conversation

    delete(logged_in(anna), delete_posts=True)

    reader = logged_in(bert)
    page = reader.get(shared.get_absolute_url()).content.decode()
    assert "Berts Antwort mit Erfahrungen" in page, "other people's replies never vanish"
    assert "Annas Frage zur Schuleingangsphase" not in page
    assert "Annas Dank für die Hinweise" not in page
    assert page.count("Beitrag gelöscht") == 2
    assert "Annas Einwurf bei Bert" not in reader.get(berts.get_absolute_url()).content.decode()
    assert not Topic.objects.filter(pk=lonely.pk).exists(), "a topic only Anna wrote in goes with her posts"
    assert not Post.objects.exclude(markdown="").filter(author__isnull=True).exists()
    assert search.search_posts(bert, "Schuleingangsphase") == []
    assert search.search_posts(bert, "Erfahrungen"), "Bert's text is still found"
    board = Board.objects.get(pk=shared.board_id)
    assert board.topic_count == 2
    assert board.post_count == 5


def test_live_rendering_of_a_post_whose_author_is_gone(logged_in, anna, bert, conversation):
    shared, _lonely, _berts = conversation
    delete(logged_in(anna))

    posts = list(Post.objects.filter(topic=shared).select_related("author").order_by("number"))
    rendered = rendering.live_posts(bert, Topic.objects.select_related("board").get(pk=shared.pk), posts)

    assert rendered[0]["author_id"] is None
    assert "gelöschte Person" in rendered[0]["html"]
    assert "Annas Frage zur Schuleingangsphase" in rendered[0]["html"]


def test_the_old_password_no_longer_logs_in_and_the_address_can_sign_up_again(logged_in, anna, client):
    delete(logged_in(anna))

    login = client.post(reverse("account_login"), {"login": "anna@kita.example.org", "password": PASSWORD})
    assert login.status_code == 200, "the login form is shown again with an error"
    assert "_auth_user_id" not in client.session

    signup = client.post(
        reverse("account_signup"),
        {
            "display_name": "Anna Neu",
            "email": "anna@kita.example.org",
            "password1": "ein-ganz-neues-passwort-42",
            "password2": "ein-ganz-neues-passwort-42",
        },
    )
    assert signup.status_code == 302
    assert User.objects.get(email="anna@kita.example.org").display_name == "Anna Neu"


def test_personal_data_of_the_account_is_gone(
    logged_in,
    anna,
    bert,
    coordinator,
    make_body,
    add_member,
    conversation,
    with_totp,
    django_capture_on_commit_callbacks,
):
    body = make_body("FG Kita")
    add_member(anna, body)
    closed = make_body("Lenkungsrunde", members_only=True)
    JoinRequest.objects.create(user=anna, body=closed, message="Ich möchte mitarbeiten")
    EmailAddress.objects.create(user=anna, email="anna.privat@example.org", verified=True)
    with_totp(anna)
    suspend_user(coordinator, anna, 1, "Ton verfehlt")
    anna.avatar.save("anna.png", ContentFile(b"\x89PNG bild"), save=True)
    avatar_name = anna.avatar.name
    other_device = logged_in(anna)
    browser = logged_in(anna)
    assert Notification.objects.filter(recipient=anna).exists(), "Bert's reply notified Anna"
    anna_id = anna.pk

    with django_capture_on_commit_callbacks(execute=True):
        response = delete(browser)

    assert response.status_code == 302
    assert not Membership.objects.filter(user_id=anna_id).exists()
    assert not JoinRequest.objects.filter(user_id=anna_id).exists()
    assert not Notification.objects.filter(recipient_id=anna_id).exists()
    assert not TopicSubscription.objects.filter(user_id=anna_id).exists()
    assert not EmailAddress.objects.filter(email__in=["anna@kita.example.org", "anna.privat@example.org"]).exists()
    assert not Authenticator.objects.filter(user_id=anna_id).exists()
    assert not default_storage.exists(avatar_name)
    assert not any(session.get_decoded().get("_auth_user_id") == str(anna_id) for session in Session.objects.all())
    assert not AuditLog.objects.filter(target_label__contains="Anna").exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.SUSPEND_USER, target_label="gelöschte Person").exists()
    assert other_device.get(reverse("network:profile")).status_code == 302, "the other device is logged out too"
    assert "_auth_user_id" not in browser.session


def test_other_peoples_data_is_untouched(logged_in, anna, bert, make_body, add_member, conversation):
    body = make_body("FG Schule")
    add_member(bert, body)
    add_member(anna, body)
    bert_posts = Post.objects.filter(author=bert).count()

    delete(logged_in(anna), delete_posts=True)

    bert.refresh_from_db()
    assert bert.display_name == "Bert Birnbaum"
    assert Membership.objects.filter(user=bert, body=body).exists()
    assert Post.objects.filter(author=bert, deleted_at__isnull=True).count() == bert_posts
    assert EmailAddress.objects.filter(user=bert).exists()


def test_a_wrong_password_gives_a_german_error_and_deletes_nothing(logged_in, anna, conversation):
    response = delete(logged_in(anna), password="falsch", delete_posts=True)

    assert response.status_code == 200
    assert "Das Passwort stimmt nicht. Ihr Konto wurde nicht gelöscht." in response.content.decode()
    assert User.objects.filter(pk=anna.pk).exists()
    assert Post.objects.filter(author=anna, deleted_at__isnull=True).count() == 4


def test_deletion_needs_a_post_with_the_csrf_token(anna, conversation):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(anna)

    assert browser.post(DELETE_URL, {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=anna.pk).exists()


def test_the_last_moderator_must_hand_over_first(logged_in, anna, bert, make_body, add_member):
    body = make_body("FG Prävention")
    add_member(anna, body, Membership.Role.MODERATOR)
    add_member(bert, body)
    browser = logged_in(anna)

    page = browser.get(DELETE_URL).content.decode()
    assert "FG Prävention" in page, "the page warns before the person even types the password"
    response = delete(browser)

    assert response.status_code == 200
    assert "Sie moderieren „FG Prävention“ als Einzige(r)" in response.content.decode()
    assert User.objects.filter(pk=anna.pk).exists()

    Membership.objects.filter(user=bert, body=body).update(role=Membership.Role.MODERATOR)
    assert delete(browser).status_code == 302
    assert not User.objects.filter(pk=anna.pk).exists()
    assert Membership.objects.filter(body=body, role=Membership.Role.MODERATOR).get().user == bert


@pytest.mark.both_databases
def test_newsletter_data_goes_but_the_proof_of_withdrawal_stays(anna, bert, logged_in):
    kept_list = Newsletter.objects.create(
        name="Netzwerkbrief", slug="netzwerkbrief", sender_name="Stadt", sender_email="n@example.org"
    )
    active_list = Newsletter.objects.create(
        name="Termine", slug="termine", sender_name="Stadt", sender_email="t@example.org"
    )
    newsletter_services.subscribe(
        kept_list, "Anna@Kita.example.org", source_detail="/newsletter/", ip_address="192.0.2.7", user=anna
    )
    newsletter_services.subscribe(
        active_list, "anna@kita.example.org", source_detail="/newsletter/", ip_address="192.0.2.7", user=anna
    )
    newsletter_services.unsubscribe("anna@kita.example.org", kept_list)
    newsletter_services.subscribe(
        active_list, "bert@schule.example.org", source_detail="/newsletter/", ip_address="192.0.2.8", user=bert
    )

    delete(logged_in(anna))

    proof = Subscription.objects.get(subscriber__email__iexact="anna@kita.example.org")
    assert proof.newsletter == kept_list
    assert proof.status == Subscription.Status.UNSUBSCRIBED
    assert proof.unsubscribed_at is not None
    consent = ConsentRecord.objects.get(subscription=proof)
    assert consent.withdrawn_at is not None
    assert consent.ip_address is None and consent.source_detail == ""
    subscriber = Subscriber.objects.get(email__iexact="anna@kita.example.org")
    assert subscriber.user is None and subscriber.name == ""
    assert not Subscription.objects.filter(subscriber=subscriber, newsletter=active_list).exists()
    bert_subscription = Subscription.objects.get(subscriber__email="bert@schule.example.org")
    assert bert_subscription.status == Subscription.Status.CONFIRMED
    assert ConsentRecord.objects.get(subscription=bert_subscription).ip_address == "192.0.2.8"


@pytest.mark.both_databases
def test_an_error_during_deletion_leaves_everything_as_it_was(logged_in, anna, conversation, monkeypatch):
    def fail(subject):
        raise RuntimeError("Festplatte voll")

    # A last part that fails after the forum has already emptied Anna's posts.
    monkeypatch.setitem(privacy._parts, "kaputt", privacy.PersonalDataPart("kaputt", export=dict, erase=fail))

    with pytest.raises(RuntimeError):
        privacy.delete_account(anna, delete_posts=True)

    assert User.objects.filter(pk=anna.pk).exists()
    assert Post.objects.filter(author=anna, deleted_at__isnull=True).count() == 4
    assert Post.objects.filter(markdown="Annas Frage zur Schuleingangsphase").exists()
    assert Topic.objects.filter(title="Annas Selbstgespräch").exists()


def test_the_service_refuses_the_last_moderator_with_a_validation_error(anna, make_body, add_member):
    add_member(anna, make_body("FG Kultur"), Membership.Role.MODERATOR)

    with pytest.raises(ValidationError):
        privacy.delete_account(anna)
    assert User.objects.filter(pk=anna.pk).exists()
