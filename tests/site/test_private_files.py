"""Attachments, profile pictures and the bodies' documents are kept where the web server cannot hand them out, and come
only from views that check who asks, with a content type a browser will not execute."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from documents import services as document_services
from documents.models import DocumentVersion
from forum import services
from forum.models import Attachment, Board
from network.models import User

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def file_system_storages(settings, tmp_path, monkeypatch):
    """The storages production uses, in folders of this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    # A file field asks its storage callable once, when the model class is built: ask again.
    # A field on the default storage has no callable and stays on the (now temporary) media folder.
    fields = (
        Attachment._meta.get_field("file"),
        User._meta.get_field("avatar"),
        DocumentVersion._meta.get_field("file"),
    )
    for field in fields:
        if hasattr(field, "_storage_callable"):
            monkeypatch.setattr(field, "storage", field._storage_callable())
    return tmp_path


@pytest.fixture
def closed_board(make_body):
    body = make_body("Fallberatung", members_only=True)
    return Board.objects.get(body=body), body


def upload_avatar(client, person, name, content):
    return client.post(
        "/netzwerk/profil/",
        {
            "display_name": person.display_name,
            "avatar": SimpleUploadedFile(name, content),
            "notify_by_email": person.notify_by_email,
        },
        follow=True,
    )


def test_attachments_profile_pictures_and_documents_never_land_in_the_public_media_folder(
    file_system_storages, make_user, logged_in, make_body, add_member
):
    author = make_user("autorin@example.org")
    body = make_body("Fokusgruppe Kita")
    add_member(author, body)
    board = Board.objects.create(name="Allgemein", slug="allgemein", kind=Board.Kind.GENERAL)
    services.create_topic(author, board, "Protokoll", "Anbei", files=[SimpleUploadedFile("Protokoll.pdf", PDF)])
    upload_avatar(logged_in(author), author, "ich.png", png_bytes())
    document_services.upload_document(author, body, SimpleUploadedFile("Konzept.pdf", PDF))

    public = [path for path in (file_system_storages / "media").rglob("*") if path.is_file()]
    private = sorted(
        path.suffix or path.parent.name for path in (file_system_storages / "private").rglob("*") if path.is_file()
    )
    assert public == []
    assert len(private) == 3


def test_an_attachment_of_a_closed_body_reaches_its_members_only(
    client, make_user, add_member, logged_in, closed_board
):
    board, body = closed_board
    member, outsider = make_user("mitglied@example.org"), make_user("aussen@example.org")
    add_member(member, body)
    topic = services.create_topic(member, board, "Fall", "Anbei", files=[SimpleUploadedFile("Fall.pdf", PDF)])
    url = topic.posts.get().attachments.get().get_absolute_url()

    anonymous = client.get(url)
    refused = logged_in(outsider).get(url)
    download = logged_in(member).get(url)

    assert anonymous.status_code == 302 and "/konto/login/" in anonymous["Location"]
    assert refused.status_code == 403
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Fall.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_a_profile_picture_is_shown_to_professionals_only(client, make_user, pending_user, logged_in):
    person = make_user("bild@example.org")
    upload_avatar(logged_in(person), person, "ich.png", png_bytes())
    url = f"/netzwerk/personen/{person.pk}/bild/"

    anonymous = client.get(url)
    pending = logged_in(pending_user).get(url)
    professional = logged_in(make_user("kollegin@example.org")).get(url)

    assert anonymous.status_code == 302
    assert pending.status_code == 403
    assert professional.status_code == 200
    assert professional["Content-Type"] == "image/png"
    assert professional["X-Content-Type-Options"] == "nosniff"
    assert b"".join(professional.streaming_content) == png_bytes()
    assert url in logged_in(make_user()).get(f"/netzwerk/personen/{person.pk}/").text


def test_a_profile_picture_in_a_format_browsers_do_not_show_is_refused_in_german(make_user, logged_in):
    person = make_user("bild@example.org")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "BMP")

    response = upload_avatar(logged_in(person), person, "ich.bmp", buffer.getvalue())

    assert "Bitte laden Sie ein Bild im Format PNG, JPEG, GIF oder WebP hoch." in response.text
    person.refresh_from_db()
    assert not person.avatar
