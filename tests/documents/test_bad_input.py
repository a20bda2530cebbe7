"""Bad uploads get a German message, no server error, and nothing stored changes: no row, no file."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.permissions import PermissionDenied
from documents import services
from documents.models import Document, DocumentVersion, Folder

from .conftest import PDF, pdf_file


def _state():
    return list(Document.objects.values()), list(DocumentVersion.objects.values()), list(Folder.objects.values())


@pytest.fixture
def stored_files(monkeypatch):
    """Every name the document versions' storage writes, so a test can see that nothing was written."""
    storage = DocumentVersion._meta.get_field("file").storage
    written = []
    original = storage.save

    def save(name, content, **kwargs):
        written.append(name)
        return original(name, content, **kwargs)

    monkeypatch.setattr(storage, "save", save)
    return written


def _upload(browser, body, upload, **data):
    return browser.post(
        reverse("documents:upload", args=[body.slug]), {"file": upload, "visibility": "members", **data}
    )


def test_an_oversized_file_is_refused(settings, logged_in, member, closed_body, stored_files):
    settings.DOCUMENTS_MAX_BYTES = 1024
    response = _upload(logged_in(member), closed_body, pdf_file("Anlage.pdf", extra=b"x" * 2048))

    assert response.status_code == 200
    assert "Die Datei „Anlage.pdf“ ist zu groß (höchstens 1,0\xa0KB)." in response.text
    assert not Document.objects.exists() and stored_files == []


@pytest.mark.parametrize(
    "content",
    [b"<html><body><script>alert(document.cookie)</script></body></html>", b"MZ\x90\x00\x03\x00 Windows program"],
)
def test_a_disguised_pdf_is_refused(logged_in, member, closed_body, stored_files, content):
    response = _upload(logged_in(member), closed_body, SimpleUploadedFile("Konzept.pdf", content))

    assert "Die Datei „Konzept.pdf“ hat kein erlaubtes Format." in response.text
    assert not Document.objects.exists() and stored_files == []


def test_an_empty_file_is_refused(logged_in, member, closed_body, stored_files):
    response = _upload(logged_in(member), closed_body, SimpleUploadedFile("leer.pdf", b""))

    assert response.status_code == 200
    assert "Die übertragene Datei ist leer." in response.text
    assert not Document.objects.exists() and stored_files == []


@pytest.mark.parametrize("name", ["../../private_media/plan.pdf", "..\\..\\plan.pdf", "unterordner/plan.pdf"])
def test_a_path_in_the_file_name_is_refused(member, closed_body, stored_files, name):
    # A plain File keeps the name it is given (an UploadedFile would cut it to the last part itself).
    with pytest.raises(ValidationError) as refused:
        services.upload_document(member, closed_body, File(io.BytesIO(PDF), name=name))

    assert "enthält Ordnerangaben (/ oder \\)" in refused.value.message_dict["file"][0]
    assert not Document.objects.exists() and stored_files == []


def test_a_path_sent_by_a_browser_never_reaches_the_storage(logged_in, member, closed_body, stored_files):
    boundary = "grenze"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="visibility"\r\n\r\nmembers\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="..\\..\\..\\boot.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )

    response = logged_in(member).generic(
        "POST",
        reverse("documents:upload", args=[closed_body.slug]),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.original_name == "boot.pdf"
    assert stored_files == [version.file.name] and ".." not in version.file.name


def test_a_version_for_a_document_of_another_body_is_refused(
    logged_in, other_moderator, open_body, add_member, members_document, stored_files
):
    before = _state()
    response = logged_in(other_moderator).post(
        reverse("documents:upload_version", args=[members_document.key]), {"file": pdf_file("fremd.pdf")}
    )

    assert response.status_code == 403
    assert "Neue Versionen laden nur Mitglieder des Gremiums hoch." in response.text
    assert _state() == before and stored_files == []
    with pytest.raises(PermissionDenied):
        services.upload_version(other_moderator, members_document, pdf_file())


def test_a_folder_of_another_body_cannot_be_chosen(member, closed_body, open_body, moderator, stored_files):
    foreign = Folder.objects.create(body=open_body, name="Fremd")

    with pytest.raises(ValidationError) as refused:
        services.upload_document(member, closed_body, pdf_file(), folder=foreign)

    assert refused.value.message_dict["folder"] == ["Dieser Ordner gehört zur Ablage eines anderen Gremiums."]
    assert not Document.objects.exists() and stored_files == []


def test_a_bad_version_leaves_the_document_as_it_was(logged_in, member, members_document, stored_files):
    before = _state()
    response = logged_in(member).post(
        reverse("documents:upload_version", args=[members_document.key]),
        {"file": SimpleUploadedFile("neu.pdf", b"<svg onload=alert(1)>")},
    )

    assert response.status_code == 200 and "hat kein erlaubtes Format" in response.text
    assert _state() == before and stored_files == []


def test_a_member_cannot_publish_and_the_form_says_why(logged_in, member, closed_body, stored_files):
    response = _upload(logged_in(member), closed_body, pdf_file(), visibility="public")

    assert response.status_code == 200
    assert "public ist keine gültige Auswahl." in response.text
    assert not Document.objects.exists() and stored_files == []
