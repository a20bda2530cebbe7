"""Files of every allowed kind, and a document in the closed body's library (tests/conftest.py has the people)."""

import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from documents.models import Visibility

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


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


def pdf_file(name="Konzept.pdf", extra=b""):
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


@pytest.fixture(autouse=True)
def seeded_random():
    random.seed(13)


@pytest.fixture
def make_document(member):
    """A document put into a library through the service (by the closed body's member unless told)."""

    def make(body, *, by=None, upload=None, visibility=Visibility.MEMBERS, **fields):
        return services.upload_document(by or member, body, upload or pdf_file(), visibility=visibility, **fields)

    return make


@pytest.fixture
def members_document(make_document, closed_body):
    return make_document(closed_body, title="Protokollentwurf Haushalt", upload=pdf_file("Entwurf März.pdf"))
