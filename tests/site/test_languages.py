"""The site speaks German by default and English on request, with a matching lang attribute."""

import pytest


@pytest.mark.django_db
def test_visitors_get_german_pages_by_default(client):
    html = client.get("/netzwerk/gremien/").content.decode()

    assert '<html lang="de"' in html
    assert ">Anmelden</a>" in html


@pytest.mark.django_db
def test_visitors_preferring_english_get_english_pages(client):
    html = client.get("/netzwerk/gremien/", headers={"accept-language": "en"}).content.decode()

    assert '<html lang="en"' in html
    assert ">Sign in</a>" in html
    assert ">Anmelden</a>" not in html


@pytest.mark.django_db
def test_the_sign_in_pages_address_people_formally_in_german(client):
    html = client.get("/konto/login/").content.decode()

    assert "Sie haben noch kein Konto" in html
    assert "Du hast" not in html
