"""The registration list as CSV for German Excel and the printable name list (HTML and PDF)."""

import io

import pytest
from pypdf import PdfReader

from planning.conference import services

pytestmark = pytest.mark.django_db


def url(conf, tail):
    return f"/sozialplanung/{conf.cycle.year.year}/konferenz/{tail}"


def test_the_csv_opens_in_german_excel_with_umlauts_and_every_registration(conf, register, wish, logged_in):
    anna = register(conf.event, "anna@example.org", "Jürgen Größe", "Kita „Sonnenschein“; Süd")
    register(conf.event, "bert@example.org", "Bert Brandt", '=HYPERLINK("http://böse.example")')
    wish(conf, anna, conf.a, conf.b)
    services.assign_automatically(conf.cycle.coordinator, conf.conference)

    response = logged_in(conf.cycle.coordinator).get(url(conf, "anmeldungen.csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Name;Organisation;E-Mail-Adresse;Status")
    assert (
        'Jürgen Größe;"Kita „Sonnenschein“; Süd";anna@example.org;angemeldet;;Forum Kita;Forum Schule;Forum Kita'
        in lines[1]
    )
    # A cell a spreadsheet would run as a formula starts with an apostrophe.
    assert "'=HYPERLINK" in lines[2]


def test_the_name_list_prints_the_confirmed_people_alphabetically_and_the_pdf_says_the_same(conf, register, logged_in):
    register(conf.event, "zora@example.org", "Zora Zander", "Stadtbibliothek")
    register(conf.event, "anna@example.org", "Anna Albers", "Kita Sonnenschein")
    register(conf.event, "max@example.org", "Max Mertens", "Jugendclub Nord")
    register(conf.event, "wartend@example.org", "Wanda Warte", "Familienzentrum")  # waiting list
    browser = logged_in(conf.cycle.coordinator)

    page = browser.get(url(conf, "namensliste/")).content.decode()
    pdf = browser.get(url(conf, "namensliste.pdf"))

    assert page.index("Anna Albers") < page.index("Max Mertens") < page.index("Zora Zander")
    assert "Wanda Warte" not in page
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Namensliste der Sozialraumkonferenz" in text
    assert text.index("Anna Albers") < text.index("Max Mertens") < text.index("Zora Zander")
    assert "Jugendclub Nord" in text
    assert "Wanda Warte" not in text


@pytest.mark.parametrize("tail", ["anmeldungen.csv", "namensliste/", "namensliste.pdf", "bericht-landkreis.pdf"])
def test_the_lists_are_the_coordinations_only(conf, logged_in, tail):
    response = logged_in(conf.cycle.kita_moderator).get(url(conf, tail))

    assert response.status_code == 403
