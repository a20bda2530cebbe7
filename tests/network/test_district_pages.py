"""Quartiere: the coordination maintains them with their outlines; everyone sees them on a map, the directory
and the network map filter by them."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from network.models import District, Organisation

from ..conftest import square

pytestmark = pytest.mark.django_db


def district_form(**fields):
    data = {"name": "Seehof", "slug": "", "description": "Wohngebiet am Teltowkanal.", "outline": "", "sort_order": ""}
    data.update(fields)
    return data


def test_the_coordination_creates_a_district_from_pasted_geojson(logged_in, coordinator, make_organisation):
    kita = make_organisation("Kita Seehof")
    feature = {"type": "Feature", "properties": {}, "geometry": square(13.27, 52.40)}

    response = logged_in(coordinator).post(
        "/netzwerk/quartiere/neu/",
        district_form(outline=json.dumps(feature), organisations=[kita.pk], outline_is_approximate="on"),
    )

    district = District.objects.get()
    assert response.status_code == 302 and response["Location"] == "/netzwerk/quartiere/seehof/"
    assert district.outline == square(13.27, 52.40)
    assert district.outline_is_approximate
    assert list(district.organisations.all()) == [kita]
    page = logged_in(coordinator).get("/netzwerk/quartiere/seehof/").content.decode()
    assert "Wohngebiet am Teltowkanal." in page and "Kita Seehof" in page
    assert re.search(r'<path d="M [\d. L]+ Z"/>', page)
    assert "keine amtlichen Grenzen" in page


def test_an_uploaded_file_replaces_the_pasted_text(logged_in, coordinator):
    upload = SimpleUploadedFile("seehof.geojson", json.dumps(square(13.28, 52.41)).encode(), "application/geo+json")
    response = logged_in(coordinator).post(
        "/netzwerk/quartiere/neu/", district_form(outline="kaputt", outline_file=upload)
    )
    assert response.status_code == 302
    assert District.objects.get().outline == square(13.28, 52.41)


def test_a_wrong_outline_shows_its_sentences_and_stores_nothing(logged_in, coordinator):
    point = json.dumps({"type": "Point", "coordinates": [13.2, 52.3]})
    response = logged_in(coordinator).post("/netzwerk/quartiere/neu/", district_form(outline=point))
    assert response.status_code == 200
    assert "Erwartet wird eine Fläche (Polygon oder MultiPolygon), nicht „Point“." in response.content.decode()
    upload = SimpleUploadedFile("karte.geojson", b"\xff\xfe\x00binary")
    response = logged_in(coordinator).post("/netzwerk/quartiere/neu/", district_form(outline_file=upload))
    assert "Die Datei ist keine Textdatei in UTF-8" in response.content.decode()
    assert not District.objects.exists()


def test_a_second_district_of_the_same_name_is_refused(logged_in, coordinator, make_district):
    make_district("Seehof", slug="seehof")
    response = logged_in(coordinator).post("/netzwerk/quartiere/neu/", district_form(slug="seehof-2"))
    assert "Ein Quartier dieses Namens gibt es schon." in response.content.decode()
    assert District.objects.count() == 1


def test_editing_keeps_the_outline_shown_in_the_form(logged_in, coordinator, make_district):
    district = make_district("Ruhlsdorf", slug="ruhlsdorf")
    browser = logged_in(coordinator)
    form_page = browser.get("/netzwerk/quartiere/ruhlsdorf/bearbeiten/").content.decode()
    assert "&quot;Polygon&quot;" in form_page
    response = browser.post(
        "/netzwerk/quartiere/ruhlsdorf/bearbeiten/",
        district_form(name="Ruhlsdorf", slug="ruhlsdorf", outline=json.dumps(district.outline), description="Neu."),
    )
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.description == "Neu." and district.outline["type"] == "Polygon"


@pytest.mark.parametrize("role", ["professional", "moderator", "editor"])
def test_only_the_coordination_maintains_districts(request, logged_in, role, make_district):
    make_district("Sigridshorst", slug="sigridshorst")
    browser = logged_in(request.getfixturevalue(role))
    for url in ("/netzwerk/quartiere/neu/", "/netzwerk/quartiere/sigridshorst/bearbeiten/"):
        response = browser.post(url, district_form(name="Übernommen"))
        assert response.status_code == 403
        assert "Nur die Sozialraumkoordination pflegt die Quartiere." in response.content.decode()
    assert list(District.objects.values_list("name", flat=True)) == ["Sigridshorst"]


def test_everyone_sees_the_districts_on_one_map_with_their_names(client, make_district):
    make_district("Teltow-Mitte", slug="mitte")
    make_district("Mühlendorf", slug="muehlendorf", outline=None)
    page = client.get("/netzwerk/quartiere/").content.decode()
    assert page.count('class="district-shape district-colour') == 1
    assert ">Teltow-Mitte</tspan></text>" in page
    assert '<a href="/netzwerk/quartiere/muehlendorf/">Mühlendorf</a>' in page


def test_the_directory_and_the_network_map_filter_by_district(
    client, make_district, make_organisation, make_user, make_body, add_member
):
    seehof, mitte = make_district("Seehof", slug="seehof"), make_district("Teltow-Mitte", slug="mitte")
    there, elsewhere = make_organisation("Kita Seehof"), make_organisation("Jugendclub Mitte")
    there.districts.add(seehof)
    elsewhere.districts.add(mitte)
    kita_group, youth_group = make_body("FG Kita"), make_body("FG Jugendarbeit")
    add_member(make_user(organisation=there), kita_group)
    add_member(make_user(organisation=elsewhere), youth_group)

    directory = client.get("/netzwerk/organisationen/?quartier=seehof").content.decode()
    assert "Kita Seehof" in directory and "Jugendclub Mitte" not in directory
    network_map = client.get("/netzwerk/netzwerkkarte/?quartier=seehof").content.decode()
    assert "Kita Seehof" in network_map and "FG Kita" in network_map
    assert "Jugendclub Mitte" not in network_map and "FG Jugendarbeit" not in network_map
    assert 'class="district-shape district-colour--1 is-highlighted"' in network_map

    unknown = client.get("/netzwerk/organisationen/?quartier=atlantis", follow=True).content.decode()
    assert "Dieses Quartier gibt es nicht; gezeigt wird alles." in unknown
    assert "Kita Seehof" in unknown and "Jugendclub Mitte" in unknown
    assert Organisation.objects.count() == 2
