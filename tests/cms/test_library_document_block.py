"""A public document of a body's library linked on a CMS page: title, type, size and the link to its file.
Editors can only choose public documents; one that stops being public vanishes from the page."""

import pytest
from django.test import Client
from wagtail.blocks import StreamBlockValidationError

from cms.blocks import ContentStreamBlock, PublicDocumentBlock
from cms.models import NetworkBodyPage, StandardPage
from documents import services
from tests.documents.conftest import pdf_file


@pytest.fixture
def concept(moderator, closed_body):
    document = services.upload_document(
        moderator, closed_body, pdf_file("Konzept.pdf"), title="Sozialraumkonzept 2021", visibility="public"
    )
    services.upload_version(moderator, document, pdf_file("Konzept überarbeitet.pdf", extra=b"% Fassung 2\n"))
    document.refresh_from_db()
    return document


def test_a_public_document_appears_on_a_content_page_with_type_size_and_link(page_tree, concept):
    page = page_tree.home.add_child(
        instance=StandardPage(
            title="Grundlagen",
            slug="grundlagen",
            body=[("library_document", {"document": concept.key, "title": ""})],
        )
    )

    html = Client().get(page.url).text

    assert "Sozialraumkonzept 2021" in html
    assert f'href="{concept.current.get_absolute_url()}"' in html
    assert f"(PDF, {concept.current.size}\xa0Bytes, Version 2 vom" in html


def test_the_body_page_takes_the_block_too(page_tree, concept, closed_body):
    page = NetworkBodyPage.objects.get(body=closed_body)
    page.content = [("library_document", {"document": concept.key, "title": "Unser Konzept (PDF)"})]
    page.save_revision().publish()

    html = Client().get(page.url).text

    assert "Unser Konzept (PDF)" in html


def test_editors_can_choose_only_public_documents(concept, member, closed_body):
    internal = services.upload_document(member, closed_body, pdf_file(), title="Interner Entwurf")
    block = PublicDocumentBlock()
    choices = dict(block.child_blocks["document"].field.choices)

    assert concept.key in choices and "Sozialraumkonzept 2021" in choices[concept.key]
    assert internal.key not in choices
    with pytest.raises(StreamBlockValidationError):
        ContentStreamBlock().clean(
            ContentStreamBlock().to_python([{"type": "library_document", "value": {"document": internal.key}}])
        )


def test_a_document_that_is_no_longer_public_vanishes_from_the_page(page_tree, concept, moderator):
    page = page_tree.home.add_child(
        instance=StandardPage(
            title="Grundlagen", slug="grundlagen", body=[("library_document", {"document": concept.key})]
        )
    )
    services.update_document(moderator, concept, title=concept.title, description="", folder=None, visibility="members")

    html = Client().get(page.url).text

    assert "Sozialraumkonzept 2021" not in html
    assert concept.current.get_absolute_url() not in html
