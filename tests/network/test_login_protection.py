"""Guessing passwords or codes is slowed down, and a changed password ends the other sessions."""

import pytest
from django.core import mail
from django.urls import reverse

from ..totp import current_code

PASSWORD = "geheim-passwort-123"


@pytest.fixture
def production_rate_limits(settings):
    # The test settings switch allauth's limits off so that the other tests may log in freely;
    # here they are back at what every other settings module uses: allauth's defaults.
    del settings.ACCOUNT_RATE_LIMITS


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password}, follow=True)


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_a_german_message(
    client, professional, production_rate_limits
):
    for _ in range(5):
        response = log_in(client, professional.email, "falsch-geraten")
        assert "Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in response.text

    response = log_in(client, professional.email, PASSWORD)

    assert "Zu viele gescheiterte Anmeldeversuche. Bitte versuchen Sie es später erneut." in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_the_lockout_is_per_account_so_others_can_still_log_in(client, make_user, production_rate_limits):
    target = make_user("ziel@example.org")
    other = make_user("andere@example.org")
    for _ in range(5):
        log_in(client, target.email, "falsch-geraten")

    response = log_in(client, other.email, PASSWORD)

    assert response.wsgi_request.user == other


def test_guessing_the_second_factor_is_limited_too(client, coordinator, with_totp, production_rate_limits):
    totp = with_totp(coordinator)
    log_in(client, coordinator.email, PASSWORD)
    for _ in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"}, follow=True)
        assert not response.wsgi_request.user.is_authenticated

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(totp.instance)}, follow=True)

    assert "Zu viele gescheiterte Anmeldeversuche" in response.text
    assert not response.wsgi_request.user.is_authenticated


def request_reset(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("account_reset_password"), {"email": email})


def test_too_many_password_reset_requests_get_a_german_page_with_status_429(
    client, professional, production_rate_limits, django_capture_on_commit_callbacks
):
    for _ in range(5):
        request_reset(client, professional.email, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5

    response = request_reset(client, professional.email, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.text
    assert len(mail.outbox) == 5


def test_changing_the_password_logs_out_every_other_session_but_keeps_this_one(client, professional):
    from django.test import Client

    other_device = Client()
    assert log_in(other_device, professional.email, PASSWORD).wsgi_request.user == professional
    log_in(client, professional.email, PASSWORD)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "ganz-neues-passwort-2026", "password2": "ganz-neues-passwort-2026"},
        follow=True,
    )

    assert response.wsgi_request.user == professional
    assert client.get(reverse("account_email")).status_code == 200
    assert other_device.get(reverse("account_email")).status_code == 302


def test_resetting_a_forgotten_password_logs_out_every_session(
    client, professional, django_capture_on_commit_callbacks
):
    import re

    from django.test import Client

    other_device = Client()
    log_in(other_device, professional.email, PASSWORD)
    request_reset(client, professional.email, django_capture_on_commit_callbacks)
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    client.post(form_url, {"password1": "ganz-neues-passwort-2026", "password2": "ganz-neues-passwort-2026"})

    assert other_device.get(reverse("account_email")).status_code == 302
    assert log_in(Client(), professional.email, "ganz-neues-passwort-2026").wsgi_request.user == professional
