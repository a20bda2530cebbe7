"""Name badges for the conference: a PDF of A4 sheets with 2 × 4 badges of 90 × 55 mm, one per confirmed
registrant, alphabetically, with organisation and the forum they were given."""

import io
import random

import pytest
from pypdf import PdfReader

from cms.models import EventRegistration
from planning.conference import services

pytestmark = pytest.mark.django_db

A4_POINTS = (595.3, 841.9)


def url(conf, tail):
    return f"/sozialplanung/{conf.cycle.year.year}/konferenz/{tail}"


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_each_confirmed_person_gets_a_badge_in_alphabetical_order_with_organisation_and_forum(
    conf, register, wish, logged_in
):
    anna = register(conf.event, "anna@example.org", "Anna Albers", "Kita Sonnenschein")
    max_ = register(conf.event, "max@example.org", "Max Mertens", "Jugendclub Nord")
    register(conf.event, "zora@example.org", "Zora Zander", "Stadtbibliothek")
    register(conf.event, "wanda@example.org", "Wanda Weber", "Familienzentrum")  # waiting list, moves up
    register(conf.event, "willi@example.org", "Willi Warte", "Seniorentreff")  # stays on the waiting list
    wish(conf, anna, conf.a, conf.b)
    services.assign_automatically(conf.cycle.coordinator, conf.conference)
    services.cancel_as_organiser(conf.cycle.coordinator, conf.conference, max_)
    assert EventRegistration.objects.get(email="wanda@example.org").status == EventRegistration.Status.CONFIRMED

    response = logged_in(conf.cycle.coordinator).get(url(conf, "namensschilder.pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Namensschilder-Konferenz" in response["Content-Disposition"]
    reader, text = pdf_text(response)
    assert text.index("Anna Albers") < text.index("Wanda Weber") < text.index("Zora Zander")
    assert "Max Mertens" not in text and "Jugendclub Nord" not in text
    assert "Willi Warte" not in text
    assert "Kita Sonnenschein" in text and "Familienzentrum" in text
    assert "Forum Kita, Raum 1.12" in text
    assert text.count("Sozialraumkonferenz 2026") == 3
    assert len(reader.pages) == 1
    width, height = (float(size) for size in reader.pages[0].mediabox.upper_right)
    assert (round(width, 1), round(height, 1)) == A4_POINTS


def test_eight_badges_fill_a_sheet_and_the_ninth_starts_the_next(conf, register, logged_in):
    conf.event.capacity = 20
    conf.event.save()
    names = [
        f"{first} {last}" for first, last in zip("Ida Bea Cem Dora Emil Fatma Gero Hanna Ilse".split(), "ABCDEFGHI")
    ]
    shuffled = names[:]
    random.Random(8).shuffle(shuffled)
    for number, name in enumerate(shuffled):
        register(conf.event, f"person{number}@example.org", name, f"Träger {number}")

    reader, _text = pdf_text(logged_in(conf.cycle.coordinator).get(url(conf, "namensschilder.pdf")))

    assert len(reader.pages) == 2
    first_sheet, second_sheet = (page.extract_text() for page in reader.pages)
    expected = sorted(names, key=str.lower)
    assert [name for name in expected if name in first_sheet] == expected[:8]
    assert second_sheet.count("Sozialraumkonferenz 2026") == 1 and expected[8] in second_sheet


def test_without_registrations_the_pdf_says_so(conf, logged_in):
    reader, text = pdf_text(logged_in(conf.cycle.coordinator).get(url(conf, "namensschilder.pdf")))
    assert "Noch hat sich niemand angemeldet." in text


def test_the_registration_list_links_to_the_badges_and_only_the_coordination_gets_them(conf, register, logged_in):
    register(conf.event, "anna@example.org", "Anna Albers")
    page = logged_in(conf.cycle.coordinator).get(url(conf, "anmeldungen/")).content.decode()
    assert f'href="{url(conf, "namensschilder.pdf")}"' in page and "Namensschilder als PDF" in page

    assert logged_in(conf.cycle.kita_moderator).get(url(conf, "namensschilder.pdf")).status_code == 403
    assert logged_in(None).get(url(conf, "namensschilder.pdf")).status_code == 302
