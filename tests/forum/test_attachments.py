import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from forum import services
from forum.attachments import detect_type
from forum.models import Attachment, Post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def zipped(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped(
    {
        "[Content_Types].xml": '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": "<w:document/>",
    }
)
ODS = zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [("bild.png", PNG, "png"), ("protokoll.pdf", PDF, "pdf"), ("brief.docx", DOCX, "docx"), ("zahlen.ods", ODS, "ods")],
)
def test_allowed_files_are_recognised_by_their_content(name, content, extension):
    assert detect_type(SimpleUploadedFile(name, content))[1] == extension


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("harmlos.pdf", b"<html><script>alert(1)</script></html>"),
        ("bild.png", b"MZ\x90\x00 Windows executable"),
        ("tabelle.xlsx", zipped({"payload.exe": "MZ"})),
        ("kaputt.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_files_that_lie_about_their_type_are_rejected(name, content):
    with pytest.raises(ValidationError, match="kein erlaubtes Format"):
        detect_type(SimpleUploadedFile(name, content))


def test_files_over_the_size_limit_are_rejected(settings):
    settings.FORUM_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="zu groß"):
        detect_type(SimpleUploadedFile("gross.pdf", PDF + b"x" * 200))


def test_a_post_with_a_lying_file_is_not_stored_at_all(professional, open_board):
    with pytest.raises(ValidationError):
        services.create_topic(
            professional, open_board, "Mit Anhang", "Siehe Datei", files=[SimpleUploadedFile("a.pdf", b"<script>")]
        )
    assert not Post.objects.exists() and not Attachment.objects.exists()


def test_an_attachment_is_stored_under_a_random_name_and_downloaded_with_its_own(client, professional, open_board):
    topic = services.create_topic(
        professional, open_board, "Protokoll", "Anbei", files=[SimpleUploadedFile("../../Protokoll März.pdf", PDF)]
    )
    attachment = topic.posts.get().attachments.get()
    assert "Protokoll" not in attachment.file.name and attachment.content_type == "application/pdf"
    client.force_login(professional)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
