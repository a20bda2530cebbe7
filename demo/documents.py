"""The demo libraries from data/documents.yaml: documents in folders, one with two versions, a spreadsheet,
one shared with the network, a public one linked on its body's page and an agenda paper of a meeting.

The files are made while seeding (PDFs with core.pdf, the spreadsheet with openpyxl) and go through the
library's own services, so they pass the same content checks as an upload. A document is keyed on its
body and title: one that exists is left alone, so a second run changes nothing.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from cms.models import NetworkBodyPage
from core.pdf import html_to_pdf
from documents import services
from documents.models import Document, DocumentVersion, Folder
from meetings.models import Meeting
from network.models import NetworkBody, User

from .data import load


def data():
    return load("documents")


def _pdf(body, title, sections):
    html = render_to_string(
        "demo/document.html", {"body": body.name, "title": title, "sections": sections, "note": data()["note"]}
    )
    return html_to_pdf(html)


def _xlsx(table):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rücklauf"
    sheet.append(table["header"])
    for row in table["rows"]:
        sheet.append(row)
    sheet.append([])
    sheet.append([data()["note"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file(body, item, version):
    content = _xlsx(version["table"]) if "table" in version else _pdf(body, item["title"], version["sections"])
    return SimpleUploadedFile(version["file"], content)


def _folder(body, name, by):
    if not name:
        return None
    return Folder.objects.filter(body=body, name=name).first() or services.create_folder(by, body, name)


def _backdate(version, days_ago):
    moment = timezone.now() - timedelta(days=days_ago, hours=days_ago % 7)
    DocumentVersion.objects.filter(pk=version.pk).update(uploaded_at=moment)
    return moment


def _document(item):
    body = NetworkBody.objects.get(slug=item["body"])
    existing = Document.objects.filter(body=body, title=item["title"]).first()
    if existing is not None:
        return existing
    first, *later = item["versions"]
    author = User.objects.get(email=first["by"])
    document = services.upload_document(
        author,
        body,
        _file(body, item, first),
        title=item["title"],
        description=f"{item['description']} ({data()['note']})",
        folder=_folder(body, item.get("folder"), author),
        visibility=item["visibility"],
    )
    created = updated = _backdate(document.current, first["days_ago"])
    for version in later:
        added = services.upload_version(
            User.objects.get(email=version["by"]), document, _file(body, item, version), comment=version["comment"]
        )
        updated = _backdate(added, version["days_ago"])
    Document.objects.filter(pk=document.pk).update(created_at=created, updated_at=updated)
    return document


def _attach_to_next_meeting(document):
    meeting = (
        Meeting.objects.filter(body=document.body, start__gt=timezone.now(), is_cancelled=False)
        .order_by("start")
        .first()
    )
    if meeting is not None:
        meeting.documents.add(document)


def _link_on_body_page(document):
    page = NetworkBodyPage.objects.filter(body=document.body).first()
    if page is None or any(
        block.block_type == "library_document" and block.value["document"] == document.key for block in page.content
    ):
        return
    page.content.append(("library_document", {"document": document.key, "title": ""}))
    page.save_revision().publish()


def seed_documents():
    for item in data()["documents"]:
        document = _document(item)
        if item.get("meeting_paper"):
            _attach_to_next_meeting(document)
        if item.get("link_on_body_page"):
            _link_on_body_page(document)
