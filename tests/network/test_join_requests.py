"""Joining and leaving bodies: open bodies, requests to closed ones, and invitations by the moderation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import Invitation, JoinRequest, Membership


@pytest.fixture
def foreign_moderator(make_user, make_body, add_member):
    user = make_user("andere-moderation@example.org")
    add_member(user, make_body("FG Schule", slug="fg-schule"), Membership.Role.MODERATOR)
    return user


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Send one request and deliver the mails it queued, as a committed request would."""

    def request(browser, path, data=None, follow=False):
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post(path, data or {}, follow=follow)

    return request


def is_member(user, body):
    return Membership.objects.filter(user=user, body=body).exists()


def mails_to(mailbox, email):
    return [message for message in mailbox if email in message.to]


def test_joining_an_open_body_makes_you_a_member_at_once(logged_in, act, professional, open_body):
    response = act(logged_in(professional), "/netzwerk/gremien/fg-schule/beitreten/", follow=True)

    assert is_member(professional, open_body)
    assert not JoinRequest.objects.exists()
    assert "Sie sind jetzt Mitglied" in response.content.decode()


def test_joining_a_members_only_body_asks_its_moderators(
    logged_in, act, professional, closed_body, moderator, foreign_moderator, mailoutbox
):
    response = act(
        logged_in(professional),
        "/netzwerk/gremien/lenkungsrunde/beitreten/",
        {"message": "Ich vertrete die Kita-Leitungen."},
        follow=True,
    )

    assert not is_member(professional, closed_body)
    join_request = JoinRequest.objects.get(user=professional, body=closed_body)
    assert join_request.status == JoinRequest.Status.PENDING
    assert join_request.message == "Ich vertrete die Kita-Leitungen."
    assert "Anfrage wurde an die Moderation" in response.content.decode()
    assert len(mails_to(mailoutbox, moderator.email)) == 1
    assert "/netzwerk/gremien/lenkungsrunde/verwalten/" in mails_to(mailoutbox, moderator.email)[0].body
    assert mails_to(mailoutbox, foreign_moderator.email) == []


def test_a_second_pending_request_is_refused_in_german(logged_in, act, professional, closed_body, moderator):
    browser = logged_in(professional)
    act(browser, "/netzwerk/gremien/lenkungsrunde/beitreten/")

    response = act(browser, "/netzwerk/gremien/lenkungsrunde/beitreten/", follow=True)

    assert JoinRequest.objects.filter(user=professional, body=closed_body).count() == 1
    assert "Ihre Beitrittsanfrage liegt der Moderation bereits vor." in response.content.decode()


def test_moderator_accepts_a_request_and_the_person_is_told(
    logged_in, act, professional, closed_body, moderator, mailoutbox
):
    act(logged_in(professional), "/netzwerk/gremien/lenkungsrunde/beitreten/")
    join_request = JoinRequest.objects.get(user=professional)
    mailoutbox.clear()

    manage_page = logged_in(moderator).get("/netzwerk/gremien/lenkungsrunde/verwalten/")
    assert professional.public_name in manage_page.content.decode()
    act(logged_in(moderator), f"/netzwerk/anfragen/{join_request.pk}/entscheiden/", {"decision": "accept"})

    assert is_member(professional, closed_body)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert join_request.decided_by == moderator
    assert len(mails_to(mailoutbox, professional.email)) == 1


def test_moderator_declines_a_request_and_the_person_stays_outside(
    logged_in, act, professional, closed_body, moderator, mailoutbox
):
    act(logged_in(professional), "/netzwerk/gremien/lenkungsrunde/beitreten/")
    join_request = JoinRequest.objects.get(user=professional)
    mailoutbox.clear()

    act(logged_in(moderator), f"/netzwerk/anfragen/{join_request.pk}/entscheiden/", {"decision": "decline"})

    assert not is_member(professional, closed_body)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert len(mails_to(mailoutbox, professional.email)) == 1


def test_a_request_cannot_be_decided_twice(logged_in, act, professional, closed_body, moderator):
    act(logged_in(professional), "/netzwerk/gremien/lenkungsrunde/beitreten/")
    join_request = JoinRequest.objects.get(user=professional)
    browser = logged_in(moderator)
    act(browser, f"/netzwerk/anfragen/{join_request.pk}/entscheiden/", {"decision": "decline"})

    response = act(browser, f"/netzwerk/anfragen/{join_request.pk}/entscheiden/", {"decision": "accept"}, follow=True)

    assert not is_member(professional, closed_body)
    assert "bereits entschieden" in response.content.decode()


@pytest.mark.parametrize("decider", ["foreign_moderator", "member"])
def test_people_who_do_not_moderate_the_body_cannot_decide(
    request, logged_in, act, make_user, add_member, professional, closed_body, moderator, decider
):
    if decider == "member":
        deciding_user = make_user("mitglied@example.org")
        add_member(deciding_user, closed_body)
    else:
        deciding_user = request.getfixturevalue("foreign_moderator")
    act(logged_in(professional), "/netzwerk/gremien/lenkungsrunde/beitreten/")
    join_request = JoinRequest.objects.get(user=professional)

    response = act(
        logged_in(deciding_user), f"/netzwerk/anfragen/{join_request.pk}/entscheiden/", {"decision": "accept"}
    )

    assert response.status_code == 403
    assert not is_member(professional, closed_body)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_the_coordination_can_decide_any_request(logged_in, act, professional, closed_body, moderator, coordinator):
    act(logged_in(professional), "/netzwerk/gremien/lenkungsrunde/beitreten/")
    join_request = JoinRequest.objects.get(user=professional)

    act(logged_in(coordinator), f"/netzwerk/anfragen/{join_request.pk}/entscheiden/", {"decision": "accept"})

    assert is_member(professional, closed_body)


@pytest.mark.parametrize("body_slug", ["fg-schule", "lenkungsrunde"])
def test_pending_users_cannot_join(logged_in, act, pending_user, open_body, closed_body, body_slug):
    response = act(logged_in(pending_user), f"/netzwerk/gremien/{body_slug}/beitreten/", follow=True)

    assert not Membership.objects.filter(user=pending_user).exists()
    assert not JoinRequest.objects.filter(user=pending_user).exists()
    assert "Nur freigegebene Fachkräfte" in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in_before_joining(client, open_body):
    response = client.post("/netzwerk/gremien/fg-schule/beitreten/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert not Membership.objects.exists()


def test_a_member_can_leave(logged_in, act, professional, add_member, open_body):
    add_member(professional, open_body)

    response = act(logged_in(professional), "/netzwerk/gremien/fg-schule/austreten/", follow=True)

    assert not is_member(professional, open_body)
    assert "ausgetreten" in response.content.decode()


def test_the_only_moderator_cannot_leave(logged_in, act, moderator, closed_body):
    response = act(logged_in(moderator), "/netzwerk/gremien/lenkungsrunde/austreten/", follow=True)

    assert is_member(moderator, closed_body)
    assert "als Einzige(r)" in response.content.decode()


def test_a_moderator_can_leave_when_another_moderator_remains(
    logged_in, act, make_user, add_member, moderator, closed_body
):
    add_member(make_user(), closed_body, Membership.Role.MODERATOR)

    act(logged_in(moderator), "/netzwerk/gremien/lenkungsrunde/austreten/")

    assert not is_member(moderator, closed_body)


# --- invitations -----------------------------------------------------------------------------


@pytest.fixture
def invite(logged_in, act, moderator, closed_body):
    def send(email):
        return act(logged_in(moderator), "/netzwerk/gremien/lenkungsrunde/verwalten/", {"email": email})

    return send


def invitation_path(mailbox, email):
    for message in reversed(mailbox):
        if email in message.to:
            match = re.search(r"(/netzwerk/einladung/[^\s/]+/)", message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no invitation link was mailed to {email}")


def test_moderator_invites_by_mail_and_the_invited_professional_accepts(
    invite, logged_in, act, make_user, closed_body, mailoutbox
):
    invited = make_user("eingeladen@example.org")

    response = invite("Eingeladen@Example.org")

    assert response.status_code == 302
    invitation = Invitation.objects.get(body=closed_body)
    assert invitation.email == "eingeladen@example.org"
    path = invitation_path(mailoutbox, "eingeladen@example.org")

    browser = logged_in(invited)
    page = browser.get(path)
    assert page.status_code == 200
    assert closed_body.name in page.content.decode()
    act(browser, path, {"decision": "accept"})

    assert is_member(invited, closed_body)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == invited


def test_declining_an_invitation_leaves_you_outside(invite, logged_in, act, make_user, closed_body, mailoutbox):
    invited = make_user("eingeladen@example.org")
    invite("eingeladen@example.org")

    act(logged_in(invited), invitation_path(mailoutbox, "eingeladen@example.org"), {"decision": "decline"})

    assert not is_member(invited, closed_body)
    assert Invitation.objects.get().status == Invitation.Status.DECLINED


def test_an_expired_invitation_is_refused_with_a_message(invite, logged_in, act, make_user, closed_body, mailoutbox):
    invited = make_user("eingeladen@example.org")
    invite("eingeladen@example.org")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = act(logged_in(invited), invitation_path(mailoutbox, "eingeladen@example.org"), {"decision": "accept"})

    assert not is_member(invited, closed_body)
    assert "Diese Einladung ist abgelaufen" in response.content.decode()


def test_an_invitation_cannot_be_answered_twice(invite, logged_in, act, make_user, closed_body, mailoutbox):
    invited = make_user("eingeladen@example.org")
    invite("eingeladen@example.org")
    path = invitation_path(mailoutbox, "eingeladen@example.org")
    browser = logged_in(invited)
    act(browser, path, {"decision": "decline"})

    response = act(browser, path, {"decision": "accept"})

    assert not is_member(invited, closed_body)
    assert "bereits beantwortet" in response.content.decode()


def test_a_pending_user_cannot_accept_an_invitation(invite, logged_in, act, make_user, closed_body, mailoutbox):
    invited = make_user("eingeladen@example.org", approved=False)
    invite("eingeladen@example.org")

    response = act(logged_in(invited), invitation_path(mailoutbox, "eingeladen@example.org"), {"decision": "accept"})

    assert not is_member(invited, closed_body)
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert "freigegeben" in response.content.decode()


def test_a_revoked_invitation_can_no_longer_be_accepted(
    invite, logged_in, act, make_user, moderator, closed_body, mailoutbox
):
    invited = make_user("eingeladen@example.org")
    invite("eingeladen@example.org")
    invitation = Invitation.objects.get()

    act(logged_in(moderator), f"/netzwerk/einladungen/{invitation.pk}/zuruecknehmen/")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED

    response = act(logged_in(invited), invitation_path(mailoutbox, "eingeladen@example.org"), {"decision": "accept"})
    assert not is_member(invited, closed_body)
    assert "zurückgenommen" in response.content.decode()


def test_only_the_moderation_can_revoke_an_invitation(invite, logged_in, act, foreign_moderator):
    invite("eingeladen@example.org")
    invitation = Invitation.objects.get()

    response = act(logged_in(foreign_moderator), f"/netzwerk/einladungen/{invitation.pk}/zuruecknehmen/")

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_inviting_the_same_address_twice_is_refused(invite, closed_body):
    invite("eingeladen@example.org")

    response = invite("EINGELADEN@example.org")

    assert response.status_code == 200
    assert Invitation.objects.filter(body=closed_body).count() == 1
    assert "bereits eine Einladung" in response.content.decode()


def test_inviting_an_existing_member_is_refused(invite, make_user, add_member, closed_body):
    add_member(make_user("mitglied@example.org"), closed_body)

    response = invite("mitglied@example.org")

    assert not Invitation.objects.exists()
    assert "bereits Mitglied" in response.content.decode()


def test_non_moderators_cannot_invite(logged_in, act, professional, foreign_moderator, closed_body):
    for person in (professional, foreign_moderator):
        response = act(logged_in(person), "/netzwerk/gremien/lenkungsrunde/verwalten/", {"email": "x@example.org"})
        assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_forwarded_invitation_does_not_admit_someone_else(invite, logged_in, act, make_user, closed_body, mailoutbox):
    make_user("eingeladen@example.org")
    stranger = make_user("weitergeleitet@example.org")
    invite("eingeladen@example.org")

    response = act(
        logged_in(stranger), invitation_path(mailoutbox, "eingeladen@example.org"), {"decision": "accept"}, follow=True
    )

    assert not is_member(stranger, closed_body)
    assert "andere E-Mail-Adresse" in response.content.decode()
    assert Invitation.objects.get(body=closed_body).status == Invitation.Status.PENDING


def test_the_last_moderator_cannot_be_removed_or_demoted(logged_in, act, moderator, closed_body):
    membership = Membership.objects.get(user=moderator, body=closed_body)
    browser = logged_in(moderator)

    removed = act(browser, f"/netzwerk/mitgliedschaften/{membership.pk}/", {"action": "remove"}, follow=True)
    demoted = act(browser, f"/netzwerk/mitgliedschaften/{membership.pk}/", {"role": "member"}, follow=True)

    assert "mindestens eine Moderation" in removed.content.decode()
    assert "mindestens eine Moderation" in demoted.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.MODERATOR
