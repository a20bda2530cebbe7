"""core.pdf: PDFs with bundled fonts, page numbers and a table of contents, and no outside fetches."""

import io
import re

import pytest
from pypdf import PdfReader

from core.pdf import BASE_URL, StaticFilesOnly, html_to_pdf, pdf_response, static_path


def _pdf_with_toc():
    sections = "".join(
        f'<h2 id="s{number}" class="page-break">Abschnitt {number}</h2><p>Text des Abschnitts {number}.</p>'
        for number in range(1, 4)
    )
    toc = "".join(f'<li><a href="#s{number}">Abschnitt {number}</a></li>' for number in range(1, 4))
    return html_to_pdf(
        f"""<html lang="de"><head><link rel="stylesheet" href="/static/core/pdf/base.css"></head><body>
        <div class="title-page"><h1>Planungspapier Äpfel &amp; Birnen</h1></div><nav class="toc"><ol>{toc}</ol></nav>{sections}</body></html>"""
    )


def test_a_pdf_has_page_numbers_and_a_table_of_contents_pointing_at_the_pages():
    reader = PdfReader(io.BytesIO(_pdf_with_toc()))
    assert len(reader.pages) == 5
    first = reader.pages[0].extract_text()
    assert "Planungspapier Äpfel & Birnen" in first
    toc = reader.pages[1].extract_text(extraction_mode="layout")
    assert "Seite 2 von 5" in toc
    # Title page, contents, then one section per page.
    for number, page in zip(range(1, 4), (3, 4, 5)):
        assert f"Abschnitt {number}" in reader.pages[page - 1].extract_text()
        assert re.search(rf"Abschnitt {number} +\.+ +{page}\s", toc)


def test_a_pdf_embeds_the_bundled_font_and_not_a_system_one():
    reader = PdfReader(io.BytesIO(_pdf_with_toc()))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu-Sans" in name for name in fonts)


def test_pdfs_fetch_static_files_only():
    fetcher = StaticFilesOnly()
    assert static_path(BASE_URL + "static/core/pdf/base.css").name == "base.css"
    assert static_path(BASE_URL + "static/../settings.py") is None
    assert static_path("https://example.org/static/core/pdf/base.css") is None
    with pytest.raises(ValueError, match="not fetched"):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch(BASE_URL + "static/core/pdf/base.css").read().startswith(b"/* Print stylesheet")


def test_a_pdf_naming_an_outside_image_still_renders_without_it():
    pdf = html_to_pdf('<p>Mit Bild</p><img src="https://example.org/logo.png" alt="Logo">')
    assert "Mit Bild" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_a_pdf_response_keeps_umlauts_in_the_file_name():
    response = pdf_response(b"%PDF-1.7", "Planungspapier Größe.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''Planungspapier%20Gr%C3%B6%C3%9Fe.pdf")
