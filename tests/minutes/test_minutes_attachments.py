"""Minutes carry documents of the body's library as attachments, each shown only to those who may read it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services as documents_services
from documents.models import Visibility

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(user, body, title):
    return documents_services.upload_document(
        user, body, SimpleUploadedFile(f"{title}.pdf", PDF, content_type="application/pdf"), title=title,
        visibility=Visibility.MEMBERS,
    )  # fmt: skip


def test_the_moderation_attaches_library_documents_and_members_see_them(logged_in, moderator, member, minutes):
    paper = upload(moderator, minutes.meeting.body, "Kita-Bedarfsplan 2027")
    browser = logged_in(moderator)

    response = browser.post(
        f"/protokolle/{minutes.pk}/bearbeiten/",
        {"text": minutes.text, "public_summary": "", "present": [], "documents": [paper.pk]},
    )

    assert response.status_code == 302
    assert list(minutes.documents.all()) == [paper]
    services_page = browser.get(f"/protokolle/{minutes.pk}/").content.decode()
    assert "Kita-Bedarfsplan 2027" in services_page


def test_a_document_of_another_body_cannot_be_attached(logged_in, moderator, minutes, open_body, make_user, add_member):
    outsider = make_user()
    add_member(outsider, open_body)
    foreign = upload(outsider, open_body, "Fremdes Papier")

    response = logged_in(moderator).post(
        f"/protokolle/{minutes.pk}/bearbeiten/",
        {"text": minutes.text, "public_summary": "", "present": [], "documents": [foreign.pk]},
    )

    assert response.status_code == 200
    assert not minutes.documents.exists()


@pytest.mark.parametrize("value", ["x", "99999999999999999999999", "-1"])
def test_garbage_as_attachment_is_refused_without_change(logged_in, moderator, minutes, value):
    response = logged_in(moderator).post(
        f"/protokolle/{minutes.pk}/bearbeiten/", {"text": "Neu", "public_summary": "", "documents": [value]}
    )

    assert response.status_code == 200
    minutes.refresh_from_db()
    assert minutes.text != "Neu" and not minutes.documents.exists()
