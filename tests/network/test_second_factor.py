"""Staff, coordination and moderators must use TOTP; everybody else logs in with a password only."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from network.models import Membership

from ..totp import current_code

ACTIVATE = "/konto/2fa/totp/activate/"
PASSWORD = "geheim-passwort-123"
SITE_PAGES = [
    "/",
    "/netzwerk/gremien/",
    "/netzwerk/meine-gremien/",
    "/netzwerk/netzwerkkarte/",
    "/suche/?q=Kita&seite=2",
]


@pytest.fixture
def moderator_without_totp(make_user, make_body, add_member):
    user = make_user("moderation@example.org")
    add_member(user, make_body("FG Kita", slug="fg-kita"), Membership.Role.MODERATOR)
    return user


@pytest.fixture
def staff_user(make_user):
    return make_user("technik@example.org", is_staff=True)


def is_sent_to_totp_setup(response):
    return response.status_code == 302 and response["Location"].startswith(ACTIVATE)


@pytest.mark.parametrize("role", ["moderator_without_totp", "coordinator", "staff_user"])
@pytest.mark.parametrize("path", SITE_PAGES)
def test_privileged_roles_without_totp_are_sent_to_set_it_up(client, request, role, path):
    client.force_login(request.getfixturevalue(role))

    response = client.get(path)

    assert is_sent_to_totp_setup(response)
    next_url = parse_qs(urlsplit(response["Location"]).query)["next"]
    assert next_url == [path], "after the setup they come back to where they were"


@pytest.mark.parametrize("role", ["moderator_without_totp", "coordinator", "staff_user"])
def test_the_account_pages_stay_reachable_without_totp(client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(ACTIVATE)

    # allauth asks for the password once more before a second factor is set up: that page, not a loop.
    assert response.status_code == 302 and response["Location"].startswith("/konto/reauthenticate/")
    assert not is_sent_to_totp_setup(response), "the setup page itself must not redirect in a loop"


@pytest.mark.parametrize("role", ["moderator_without_totp", "coordinator", "staff_user"])
@pytest.mark.parametrize("path", ["/netzwerk/gremien/", "/netzwerk/meine-gremien/"])
def test_privileged_roles_with_totp_use_the_site_normally(client, request, with_totp, role, path):
    user = request.getfixturevalue(role)
    with_totp(user)
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["professional", "member", "pending_user"])
@pytest.mark.parametrize("path", ["/netzwerk/gremien/", "/netzwerk/meine-gremien/"])
def test_people_without_a_privileged_role_are_never_asked_for_totp(client, request, role, path):
    client.force_login(request.getfixturevalue(role))

    response = client.get(path)

    assert response.status_code == 200


def test_becoming_a_moderator_makes_totp_necessary(client, professional, make_body, add_member):
    client.force_login(professional)
    assert not is_sent_to_totp_setup(client.get("/netzwerk/gibt-es-nicht/"))

    add_member(professional, make_body(), Membership.Role.MODERATOR)

    assert is_sent_to_totp_setup(client.get("/netzwerk/gibt-es-nicht/"))


def test_password_login_with_totp_asks_for_the_code_and_a_correct_code_logs_in(
    client, coordinator, with_totp, settings
):
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed just before a 30-second step ends must still count
    totp = with_totp(coordinator)
    cache.clear()  # allauth remembers used codes in the cache; a code from an earlier test must not count

    response = client.post("/konto/login/", {"login": coordinator.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session, "the password alone must not log in"
    assert client.get("/konto/2fa/authenticate/").status_code == 200

    response = client.post("/konto/2fa/authenticate/", {"code": current_code(totp.instance)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_a_wrong_totp_code_does_not_log_in(client, coordinator, with_totp):
    totp = with_totp(coordinator)
    cache.clear()
    client.post("/konto/login/", {"login": coordinator.email, "password": PASSWORD})
    wrong = str((int(current_code(totp.instance)) + 1) % 1_000_000).zfill(6)

    response = client.post("/konto/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_login_without_totp_logs_a_professional_in_at_once(client, professional):
    response = client.post("/konto/login/", {"login": professional.email, "password": PASSWORD})

    assert response.status_code == 302
    assert not response["Location"].startswith("/konto/2fa/")
    assert client.session["_auth_user_id"] == str(professional.pk)
