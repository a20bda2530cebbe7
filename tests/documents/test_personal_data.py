"""What a person uploaded is in their data download; their documents stay in the library without their name."""

import json

from django.urls import reverse

from core.privacy import delete_account
from documents import services
from documents.models import Document

from .conftest import pdf_file


def test_the_download_lists_the_uploaded_versions(logged_in, member, members_document):
    services.upload_version(member, members_document, pdf_file("Entwurf Mai.pdf"), comment="Zahlen ergänzt")

    data = json.loads(logged_in(member).get(reverse("network:personal_data_download")).content)

    uploads = data["documents"]["uploaded_versions"]
    assert [(row["version"], row["file_name"]) for row in uploads] == [(1, "Entwurf März.pdf"), (2, "Entwurf Mai.pdf")]
    assert uploads[1]["comment"] == "Zahlen ergänzt" and uploads[0]["body"] == "Lenkungsrunde Sozialplanung"


def test_documents_stay_in_the_library_without_the_uploaders_name(logged_in, member, moderator, members_document):
    delete_account(member)

    document = Document.objects.get(pk=members_document.pk)
    assert document.created_by is None and document.current.uploaded_by is None
    page = logged_in(moderator).get(document.get_absolute_url()).text
    assert "ehemaliges Mitglied" in page and "Mia Mitglied" not in page
