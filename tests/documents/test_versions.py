"""A new version replaces what people open first; the older ones stay and can still be downloaded."""

from django.urls import reverse

from documents import services

from .conftest import PDF, pdf_file


def test_a_new_version_becomes_current_and_the_old_one_stays_downloadable(
    logged_in, member, moderator, members_document
):
    first = members_document.current
    browser = logged_in(moderator)
    response = browser.post(
        reverse("documents:upload_version", args=[members_document.key]),
        {"file": pdf_file("Entwurf April.pdf", extra=b"% zweite Fassung\n"), "comment": "Zahlen ergänzt"},
        follow=True,
    )

    members_document.refresh_from_db()
    second = members_document.current
    assert "Version 2 von „Protokollentwurf Haushalt“ ist gespeichert." in response.text
    assert second.number == 2 and second.uploaded_by == moderator and second.comment == "Zahlen ergänzt"
    assert list(members_document.versions.values_list("number", flat=True)) == [2, 1]
    page = logged_in(member).get(members_document.get_absolute_url()).text
    assert "Entwurf April.pdf" in page and "Entwurf März.pdf" in page and "Zahlen ergänzt" in page
    assert "Moritz Moderation" in page and "Mia Mitglied" in page
    old = logged_in(member).get(first.get_absolute_url())
    assert old.status_code == 200 and b"".join(old.streaming_content) == PDF


def test_version_numbers_count_up_per_document(member, members_document, make_document, closed_body):
    other = make_document(closed_body, title="Anderes")
    for _number in range(2):
        services.upload_version(member, members_document, pdf_file())

    assert members_document.versions.first().number == 3
    assert other.versions.get().number == 1
