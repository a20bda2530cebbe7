"""A professional signs up, verifies the address, and the coordination approves (or the domain does)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from network.models import ApprovedDomain, User

PASSWORD = "Sonnenblume-am-Teltowkanal-7"


@pytest.fixture
def sign_up(db, client, django_capture_on_commit_callbacks):
    def submit(email, **fields):
        data = {
            "display_name": "Anna Beispiel",
            "email": email,
            "organisation": "",
            "job_title": "Erzieherin",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **fields,
        }
        # The verification mail is queued on commit; run those callbacks as a real request would.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/konto/signup/", data)

    return submit


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    def post(path):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path)

    return post


@pytest.fixture
def coordination_client(coordinator, with_totp):
    """The coordinator's own browser, apart from the one signing up."""
    # The coordination must have a second factor, otherwise every page sends it to the TOTP setup.
    with_totp(coordinator)
    browser = Client()
    browser.force_login(coordinator)
    return browser


def confirmation_path(mailbox, email):
    for message in reversed(mailbox):
        if email in message.to:
            match = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s/]+/)", message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no verification mail with a link went to {email}")


def mails_to(mailbox, email):
    return [message for message in mailbox if email in message.to]


def test_sign_up_sends_a_verification_mail_and_shows_the_verification_sent_page(sign_up, mailoutbox):
    response = sign_up("anna@traeger.example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="anna@traeger.example.org")
    assert user.display_name == "Anna Beispiel"
    assert user.job_title == "Erzieherin"
    assert not user.is_professional
    assert confirmation_path(mailoutbox, "anna@traeger.example.org").startswith("/konto/confirm-email/")


def test_sign_up_stores_the_chosen_organisation(sign_up, make_organisation):
    kita = make_organisation("Kita Sonnenschein")

    sign_up("anna@traeger.example.org", organisation=str(kita.pk))

    assert User.objects.get(email="anna@traeger.example.org").organisation == kita


def test_following_the_link_shows_a_confirm_page_and_only_the_post_verifies(client, sign_up, confirm, mailoutbox):
    sign_up("anna@traeger.example.org")
    path = confirmation_path(mailoutbox, "anna@traeger.example.org")

    page = client.get(path)
    assert page.status_code == 200
    user = User.objects.get(email="anna@traeger.example.org")
    assert not user.emailaddress_set.get().verified, "a GET (e.g. a mail scanner) must not verify the address"

    confirm(path)

    assert user.emailaddress_set.get().verified


def test_verified_sign_up_waits_for_the_coordination_which_gets_a_mail(sign_up, confirm, mailoutbox, coordinator):
    sign_up("anna@traeger.example.org")
    path = confirmation_path(mailoutbox, "anna@traeger.example.org")
    assert mails_to(mailoutbox, coordinator.email) == [], "nobody reviews an address that is not verified yet"

    confirm(path)

    user = User.objects.get(email="anna@traeger.example.org")
    assert user.approval == User.Approval.PENDING
    assert not user.is_professional
    to_coordination = mails_to(mailoutbox, coordinator.email)
    assert len(to_coordination) == 1
    assert "Anna Beispiel" in to_coordination[0].body
    assert "/netzwerk/freigaben/" in to_coordination[0].body


def test_coordinator_approves_a_pending_person_who_then_gets_a_mail(
    sign_up, confirm, mailoutbox, coordination_client, django_capture_on_commit_callbacks
):
    sign_up("anna@traeger.example.org")
    confirm(confirmation_path(mailoutbox, "anna@traeger.example.org"))
    user = User.objects.get(email="anna@traeger.example.org")
    mailoutbox.clear()

    listing = coordination_client.get("/netzwerk/freigaben/")
    assert listing.status_code == 200
    assert "Anna Beispiel" in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordination_client.post(
            "/netzwerk/freigaben/", {"user": user.pk, "decision": "approve"}, follow=True
        )

    user.refresh_from_db()
    assert user.is_professional
    assert user.approved_at is not None
    assert len(mails_to(mailoutbox, "anna@traeger.example.org")) == 1
    html = response.content.decode()
    assert "Anna Beispiel wurde freigegeben." in html
    assert "anna@traeger.example.org" not in html, "an approved person leaves the list of pending sign-ups"


def test_declined_person_is_not_a_professional_and_is_told_so(
    make_user, coordination_client, mailoutbox, django_capture_on_commit_callbacks
):
    person = make_user("bernd@traeger.example.org", approved=False)

    with django_capture_on_commit_callbacks(execute=True):
        coordination_client.post("/netzwerk/freigaben/", {"user": person.pk, "decision": "decline"})

    person.refresh_from_db()
    assert person.approval == User.Approval.DECLINED
    assert not person.is_professional
    assert len(mails_to(mailoutbox, "bernd@traeger.example.org")) == 1


def test_a_decision_cannot_be_taken_twice(make_user, coordination_client, django_capture_on_commit_callbacks):
    person = make_user("bernd@traeger.example.org", approved=False)
    with django_capture_on_commit_callbacks(execute=True):
        coordination_client.post("/netzwerk/freigaben/", {"user": person.pk, "decision": "decline"})

    with django_capture_on_commit_callbacks(execute=True):
        response = coordination_client.post(
            "/netzwerk/freigaben/", {"user": person.pk, "decision": "approve"}, follow=True
        )

    person.refresh_from_db()
    assert person.approval == User.Approval.DECLINED
    assert "bereits entschieden" in response.content.decode()


def test_sign_up_from_an_approved_domain_is_approved_on_verification_with_its_organisation(
    sign_up, confirm, mailoutbox, make_organisation, coordinator
):
    kita = make_organisation("Kita-Eigenbetrieb Teltow")
    ApprovedDomain.objects.create(domain="@Kita-Teltow.example.org", organisation=kita)
    sign_up("clara@kita-teltow.example.org")

    user = User.objects.get(email="clara@kita-teltow.example.org")
    assert not user.is_professional, "the domain alone is not enough: the address must be verified first"

    confirm(confirmation_path(mailoutbox, "clara@kita-teltow.example.org"))

    user.refresh_from_db()
    assert user.is_professional
    assert user.organisation == kita
    assert mails_to(mailoutbox, coordinator.email) == []


def test_approved_domain_keeps_an_organisation_the_person_chose(sign_up, confirm, mailoutbox, make_organisation):
    kita = make_organisation("Kita-Eigenbetrieb Teltow")
    hort = make_organisation("Hort am Kanal")
    ApprovedDomain.objects.create(domain="kita-teltow.example.org", organisation=kita)

    sign_up("clara@kita-teltow.example.org", organisation=str(hort.pk))
    confirm(confirmation_path(mailoutbox, "clara@kita-teltow.example.org"))

    user = User.objects.get(email="clara@kita-teltow.example.org")
    assert user.is_professional
    assert user.organisation == hort


def test_login_before_verification_is_refused(client, sign_up, django_capture_on_commit_callbacks):
    sign_up("anna@traeger.example.org")
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/login/", {"login": "anna@traeger.example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_verified_but_pending_person_can_log_in_but_is_not_a_professional(client, make_user):
    person = make_user("neu@traeger.example.org", approved=False, password=PASSWORD)

    response = client.post("/konto/login/", {"login": "neu@traeger.example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] != reverse("account_email_verification_sent")
    assert "_auth_user_id" in client.session
    assert client.get(f"/netzwerk/personen/{person.pk}/").status_code == 403


def test_unverified_sign_ups_are_not_offered_for_approval(make_user, coordination_client):
    make_user("unbestaetigt@traeger.example.org", approved=False, verified=False, display_name="Uwe Unbestätigt")
    make_user("bestaetigt@traeger.example.org", approved=False, display_name="Vera Bestätigt")

    html = coordination_client.get("/netzwerk/freigaben/").content.decode()

    assert "Vera Bestätigt" in html
    assert "Uwe Unbestätigt" not in html


@pytest.mark.parametrize("role", ["professional", "pending_user", "editor"])
def test_only_the_coordination_may_open_the_approvals_page(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get("/netzwerk/freigaben/").status_code == 403


def test_only_the_coordination_may_approve(client, professional, make_user):
    person = make_user("bernd@traeger.example.org", approved=False)
    client.force_login(professional)

    response = client.post("/netzwerk/freigaben/", {"user": person.pk, "decision": "approve"})

    assert response.status_code == 403
    person.refresh_from_db()
    assert not person.is_professional


def test_anonymous_visitors_are_sent_to_the_login_for_approvals(client):
    response = client.get("/netzwerk/freigaben/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
