"""The demo's libraries: believable documents in several bodies, one with two versions, a public one
linked on its body's page, an agenda paper, all marked as example data."""

import io

from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from cms.models import NetworkBodyPage
from documents.models import Document, Visibility
from meetings.models import Meeting

from .test_seed_demo import seeded  # noqa: F401 - fixture


def test_several_bodies_keep_documents_marked_as_example_data(seeded):  # noqa: F811
    bodies = set(Document.objects.values_list("body__slug", flat=True))
    assert {"fg-kita", "fg-schule", "lenkungsrunde-sozialplanung"} <= bodies
    for document in Document.objects.select_related("current"):
        assert "Beispieldaten" in document.description, document.title
        assert document.current is not None and document.current.uploaded_by is not None
    assert Document.objects.filter(visibility=Visibility.NETWORK).exists()
    assert Document.objects.filter(current__extension="xlsx").exists()


def test_one_document_has_two_real_pdf_versions(seeded):  # noqa: F811
    document = Document.objects.get(title="Bestandsaufnahme Betreuungsplätze 2026")
    newer, older = document.versions.all()
    assert (newer.number, older.number) == (2, 1) and newer.uploaded_at > older.uploaded_at
    assert document.current == newer and newer.comment
    for version in (newer, older):
        text = " ".join(PdfReader(io.BytesIO(version.file.read())).pages[0].extract_text().split())
        assert "Bestandsaufnahme Betreuungsplätze 2026" in text and "Beispieldaten" in text


def test_the_public_concept_is_linked_on_the_lenkungsrunde_page_and_opens_for_everyone(seeded):  # noqa: F811
    concept = Document.objects.get(visibility=Visibility.PUBLIC)
    page = NetworkBodyPage.objects.get(body=concept.body)
    visitor = Client()

    html = visitor.get(page.url).text
    response = visitor.get(concept.current.get_absolute_url())

    assert "Sozialraumkonzept der Stadt Teltow – Kurzfassung" in html
    assert concept.current.get_absolute_url() in html
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_next_lenkungsrunde_meeting_has_the_rating_sheet_as_agenda_paper(seeded):  # noqa: F811
    meeting = (
        Meeting.objects.filter(body__slug="lenkungsrunde-sozialplanung", start__gt=timezone.now(), is_cancelled=False)
        .order_by("start")
        .first()
    )
    assert [document.title for document in meeting.documents.all()] == ["Bewertungsbogen für die Zielvorschläge"]
