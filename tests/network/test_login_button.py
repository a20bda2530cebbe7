"""The login's buttons say what they do ("Anmelden"), not the noun allauth's catalogue gives them ("Anmeldung"):
on the password step and on the second step that asks for the TOTP code."""

import re

from django.urls import reverse


def main_buttons(response):
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return main, [
        re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<button[^>]*>(.*?)</button>", main, re.DOTALL)
    ]


def test_the_login_button_says_anmelden(client, db):
    main, buttons = main_buttons(client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de"))

    assert buttons == ["Anmelden"]
    assert "Anmeldung" not in main


def test_the_button_of_the_second_step_says_anmelden_too(client, make_user, with_totp):
    user = make_user()
    with_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": "geheim-passwort-123"})
    assert response["Location"].startswith(reverse("mfa_authenticate"))

    main, buttons = main_buttons(client.get(reverse("mfa_authenticate"), HTTP_ACCEPT_LANGUAGE="de"))

    assert buttons[0] == "Anmelden" and "Anmeldung" not in main
    assert 'name="code"' in main
