"""The login form's button says what it does ("Anmelden"), not the noun allauth's catalogue gives it ("Anmeldung")."""

import re

from django.urls import reverse


def test_the_login_button_says_anmelden(client, db):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    main = page[page.index("<main"):page.index("</main>")]
    buttons = [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<button[^>]*>(.*?)</button>", main, re.S)]
    assert buttons == ["Anmelden"]
    assert "Anmeldung" not in main
