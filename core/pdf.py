"""HTML → PDF with WeasyPrint: the planning paper, reports, name lists.

Fonts are bundled (`core/static/core/fonts`, DejaVu, licence beside them) and every URL a document
names is looked up among the project's static files only. A PDF therefore looks the same on every
machine, and rendering one never waits for the network or tells a third party that it happened
(a template that names an outside URL gets that resource left out, with a warning in the log).

Templates extend `core/pdf/base.html`, which loads `core/pdf/base.css` (A4, page numbers in the
footer, the site's colours, `.toc` entries with page numbers via `target-counter`).
"""

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

# Relative URLs in a PDF template resolve against this address; it names no real host.
BASE_URL = "https://pdf.invalid/"


class StaticFilesOnly(URLFetcher):
    """Answers `data:` URLs and the project's static files; refuses everything else."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise ValueError(f"Outside resources are not fetched for PDFs: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def static_path(url: str) -> Path | None:
    """The file behind a `/static/…` URL of the PDF's own address, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(settings.STATIC_URL):
        return None
    try:
        found = finders.find(unquote(parts.path.removeprefix(settings.STATIC_URL)))
    except SuspiciousFileOperation:
        return None
    return Path(found) if isinstance(found, str) else None


def html_to_pdf(html: str) -> bytes:
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    return document.write_pdf(font_config=font_config)


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    return html_to_pdf(render_to_string(template_name, context, request=request))


def pdf_response(pdf: bytes, filename: str, *, as_attachment: bool = False) -> HttpResponse:
    """Shown in the browser by default; the file name survives umlauts (RFC 6266 `filename*`)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response
