"""The shared upload checks: the type comes from the content, the name is cleaned, a path is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import check_filename, clean_filename, detect_type
from tests.documents.conftest import DOCX, PDF, PNG

LIMIT = 10_000


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("plan.pdf", PDF, ("application/pdf", "pdf")),
        ("foto.png", PNG, ("image/png", "png")),
        (
            "brief.docx",
            DOCX,
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ),
    ],
)
def test_allowed_files_are_recognised_by_their_content(name, content, expected):
    assert detect_type(SimpleUploadedFile(name, content), max_bytes=LIMIT) == expected


@pytest.mark.parametrize(
    "content",
    [b"<!DOCTYPE html><script>alert(1)</script>", b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS"],
)
def test_a_pdf_name_on_html_or_a_program_is_refused_in_german(content):
    with pytest.raises(ValidationError) as refused:
        detect_type(SimpleUploadedFile("Konzept.pdf", content), max_bytes=LIMIT)
    assert "Die Datei „Konzept.pdf“ hat kein erlaubtes Format." in refused.value.messages[0]


def test_the_size_limit_is_the_callers_and_named_in_the_message():
    with pytest.raises(ValidationError) as refused:
        detect_type(SimpleUploadedFile("gross.pdf", PDF + b"x" * 2000), max_bytes=1024)
    assert refused.value.messages == ["Die Datei „gross.pdf“ ist zu groß (höchstens 1,0\xa0KB)."]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="ist leer"):
        detect_type(SimpleUploadedFile("leer.pdf", b""), max_bytes=LIMIT)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\boot.ini", "ordner/plan.pdf", "..", "C:\\temp\\a.pdf"]
)
def test_a_name_with_a_folder_is_refused_in_german(name):
    with pytest.raises(ValidationError) as refused:
        check_filename(name)
    assert "enthält Ordnerangaben (/ oder \\)" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("name", "extension", "cleaned"),
    [
        ("Protokoll März.pdf", "pdf", "Protokoll März.pdf"),
        ("../../Protokoll.pdf", "pdf", "Protokoll.pdf"),
        ("rechnung\u202efdp.exe", "pdf", "rechnungfdp.exe.pdf"),
        ("  Plan \t 2027 .PDF", "pdf", "Plan 2027.PDF"),
        (".versteckt.pdf", "pdf", "versteckt.pdf"),
        ("foto.jpeg", "jpg", "foto.jpeg"),
        ("bild.png", "pdf", "bild.png.pdf"),
        ("\x00", "pdf", "Datei.pdf"),
        ("a" * 300 + ".pdf", "pdf", "a" * 196 + ".pdf"),
    ],
)
def test_names_are_cleaned_and_end_in_the_recognised_extension(name, extension, cleaned):
    assert clean_filename(name, extension) == cleaned
