"""A guest without an account reads the meeting's public papers on the signed page, and nothing else of the library."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import services as documents_services
from documents.models import Visibility
from meetings import services, tokens

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def paper(moderator, body, title, visibility):
    upload = SimpleUploadedFile(f"{title}.pdf", PDF, content_type="application/pdf")
    return documents_services.upload_document(moderator, body, upload, title=title, visibility=visibility)


def test_the_guest_page_lists_public_papers_and_only_counts_the_others(schedule, moderator, closed_body, client):
    public = paper(moderator, closed_body, "Sozialraumkonzept Kurzfassung", Visibility.PUBLIC)
    internal = paper(moderator, closed_body, "Haushaltsentwurf intern", Visibility.MEMBERS)
    meeting = schedule(title="Fachgespräch", documents=[public, internal])
    guest = services.invite_guest(moderator, meeting, email="expertin@example.net", name="Dr. Erika Expertin")

    page = client.get(reverse("meetings:guest_page", args=[tokens.guest_token(guest)])).content.decode()

    assert "Sitzungsunterlagen" in page and "Sozialraumkonzept Kurzfassung" in page
    assert "Haushaltsentwurf intern" not in page
    assert "Eine weitere Unterlage ist nur für Mitglieder des Gremiums oder Fachkräfte des Netzwerks sichtbar." in page
