"""A session brings its user and roles in the same round trip (network.sessions, PostgreSQL) once the process has
seen it; what the user may do is still read fresh on every request, and a session ends exactly as before."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network import access
from network.access import EDITORS_GROUP
from network.models import User

pytestmark = pytest.mark.both_databases

PASSWORD = "geheim-passwort-123"


def signed_in(user):
    client = Client()
    client.force_login(user)
    # The first request teaches the process which user the session belongs to.
    assert client.get(reverse("account_email")).status_code == 200
    return client


def test_a_known_session_costs_one_round_trip_for_session_user_and_roles(professional, open_body, add_member):
    add_member(professional, open_body)
    client = signed_in(professional)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("account_email"))
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert user == professional
    assert access.member_body_ids(user) == {open_body.pk}
    first = captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "django_session" in first and "network_user" in first and "network_membership" in first
        assert not any('FROM "network_user"' in query["sql"] for query in captured.captured_queries[1:])


def test_roles_given_meanwhile_count_on_the_next_request(professional, open_body, add_member):
    client = signed_in(professional)
    add_member(professional, open_body)
    professional.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    user = client.get(reverse("account_email")).wsgi_request.user
    assert access.member_body_ids(user) == {open_body.pk}
    assert access.is_editor(user)


def test_a_password_changed_elsewhere_ends_a_known_session(professional):
    client = signed_in(professional)
    professional.set_password("ganz-neues-passwort-2026")
    professional.save()
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not response.wsgi_request.user.is_authenticated


def test_a_deactivated_account_is_signed_out_of_a_known_session(professional):
    client = signed_in(professional)
    User.objects.filter(pk=professional.pk).update(is_active=False)
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


def test_after_logging_out_the_old_session_cookie_signs_in_no_one(professional):
    client = signed_in(professional)
    old_cookie = client.cookies["sessionid"].value
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    response = replay.get(reverse("account_email"))
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated
