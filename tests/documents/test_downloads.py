"""Files come only through the view that asks the one permission function, with headers a browser cannot
misread, and never from a guessable address."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.permissions import PermissionDenied
from documents.models import Document, DocumentVersion

from .conftest import DOCX, PDF, pdf_file


def test_a_members_only_document_reaches_its_bodys_people_only(
    client,
    logged_in,
    member,
    moderator,
    coordination,
    professional,
    pending_user,
    make_user,
    add_member,
    make_body,
    members_document,
):
    other_body_member = make_user("andere@example.org")
    add_member(other_body_member, make_body("FG Kita"))
    url = members_document.current.get_absolute_url()

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/konto/login/" in anonymous["Location"]
    for outsider in (other_body_member, professional, pending_user):
        refused = logged_in(outsider).get(url)
        assert refused.status_code == 403
        assert "Dieses Dokument ist nur für Mitglieder des Gremiums sichtbar." in refused.text
    for insider in (member, moderator, coordination):
        response = logged_in(insider).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF


def test_a_network_document_reaches_every_approved_professional(
    client, logged_in, professional, pending_user, make_document, closed_body
):
    network = make_document(closed_body, title="Bedarfe", visibility="network")
    url = network.current.get_absolute_url()

    assert client.get(url).status_code == 302
    assert logged_in(pending_user).get(url).status_code == 403
    assert logged_in(professional).get(url).status_code == 200


def test_publishing_is_the_moderations_and_then_everyone_reads(client, moderator, make_document, closed_body):
    with pytest.raises(PermissionDenied, match="Öffentlich machen nur die Moderation"):
        make_document(closed_body, title="Konzept", visibility="public")
    assert not Document.objects.exists()

    public = make_document(closed_body, by=moderator, title="Konzept", visibility="public")
    assert client.get(public.current.get_absolute_url()).status_code == 200
    assert client.get(public.get_absolute_url()).status_code == 200


def test_pdf_opens_in_the_browser_and_an_umlaut_name_survives(logged_in, member, make_document, closed_body):
    document = make_document(closed_body, upload=pdf_file("Planungspapier Übersicht.pdf"))

    response = logged_in(member).get(document.current.get_absolute_url())

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''Planungspapier%20%C3%9Cbersicht.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_office_files_are_downloaded_not_shown(logged_in, member, make_document, closed_body):
    document = make_document(closed_body, upload=SimpleUploadedFile("Tabelle.docx", DOCX))

    response = logged_in(member).get(document.current.get_absolute_url())

    assert response["Content-Disposition"] == 'attachment; filename="Tabelle.docx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")


def test_addresses_carry_random_keys_not_numbers_or_names(members_document):
    version = members_document.current
    for url in (members_document.get_absolute_url(), version.get_absolute_url()):
        key = url.rstrip("/").rsplit("/", 1)[1]
        assert len(key) >= 22 and not key.isdigit()
        assert "Entwurf" not in url
    assert "Entwurf" not in version.file.name
    assert version.file.name.startswith("ablage/")
    assert members_document.key != version.key


def test_an_unknown_key_is_not_found(logged_in, member):
    assert logged_in(member).get(reverse("documents:download", args=["x" * 22])).status_code == 404
    assert logged_in(member).get(reverse("documents:detail", args=["x" * 22])).status_code == 404


def test_the_web_server_can_send_the_file_after_the_check(settings, logged_in, member, professional, members_document):
    settings.PRIVATE_FILES_SERVE_METHOD = "x-accel-redirect"
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_privat/"
    url = members_document.current.get_absolute_url()

    sent = logged_in(member).get(url)
    refused = logged_in(professional).get(url)

    assert sent.status_code == 200 and sent.content == b""
    assert sent["X-Accel-Redirect"] == f"/_privat/{members_document.current.file.name}"
    assert sent["Content-Disposition"] == "inline; filename*=utf-8''Entwurf%20M%C3%A4rz.pdf"
    assert sent["X-Content-Type-Options"] == "nosniff"
    assert refused.status_code == 403 and "X-Accel-Redirect" not in refused


def test_x_sendfile_names_the_absolute_path(
    settings, tmp_path, monkeypatch, logged_in, member, closed_body, make_document
):
    settings.PRIVATE_FILES_SERVE_METHOD = "x-sendfile"
    monkeypatch.setattr(DocumentVersion._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    document = make_document(closed_body)

    response = logged_in(member).get(document.current.get_absolute_url())

    assert response["X-Sendfile"] == str(tmp_path / document.current.file.name)
