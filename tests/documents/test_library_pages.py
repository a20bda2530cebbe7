"""A body's members find its library from the body page, upload into it and see who put what there and when."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.models import Document, Folder

from .conftest import DOCX, pdf_file


def test_a_member_reaches_the_library_from_the_body_page_and_sees_the_newest_documents(
    logged_in, member, closed_body, members_document
):
    page = logged_in(member).get(reverse("network:body_detail", args=[closed_body.slug]), follow=True).text

    assert "Ablage" in page
    assert reverse("documents:library", args=[closed_body.slug]) in page
    assert "Protokollentwurf Haushalt" in page


def test_the_library_lists_each_document_with_type_size_uploader_and_date(
    logged_in, member, closed_body, members_document
):
    page = logged_in(member).get(reverse("documents:library", args=[closed_body.slug])).text

    assert "Ablage: Lenkungsrunde Sozialplanung" in page
    assert members_document.get_absolute_url() in page
    assert f"PDF, {len(members_document.current.file.read())}\xa0Bytes" in page
    assert f"von Mia Mitglied am {timezone.localdate():%-d}." in page


def test_uploading_through_the_form_stores_the_file_and_shows_the_document(logged_in, member, closed_body):
    browser = logged_in(member)
    response = browser.post(
        reverse("documents:upload", args=[closed_body.slug]),
        {
            "file": pdf_file("Sozialraumanalyse Süd.pdf"),
            "title": "",
            "description": "Stand Mai",
            "visibility": "members",
        },
        follow=True,
    )

    document = Document.objects.get()
    assert document.title == "Sozialraumanalyse Süd"
    assert document.created_by == member and document.current.uploaded_by == member
    assert "liegt jetzt in der Ablage" in response.text
    assert "Sozialraumanalyse Süd.pdf" in response.text
    assert "Stand Mai" in response.text


def test_folders_sort_the_library(logged_in, member, closed_body, make_document):
    browser = logged_in(member)
    browser.post(reverse("documents:folder_create", args=[closed_body.slug]), {"name": "Vorlagen"})
    folder = Folder.objects.get(body=closed_body)
    make_document(closed_body, title="Einladungsvorlage", folder=folder, upload=pdf_file("vorlage.pdf"))
    make_document(closed_body, title="Haushaltsplan", upload=pdf_file("plan.pdf"))

    in_folder = browser.get(reverse("documents:library", args=[closed_body.slug]), {"ordner": folder.pk}).text
    everything = browser.get(reverse("documents:library", args=[closed_body.slug])).text

    assert "Ordner „Vorlagen“" in in_folder and "Einladungsvorlage" in in_folder
    assert "Haushaltsplan" not in in_folder
    assert "Einladungsvorlage" in everything and "Haushaltsplan" in everything and "Ordner Vorlagen" in everything


def test_a_folder_name_twice_is_refused_in_german(logged_in, member, closed_body):
    browser = logged_in(member)
    url = reverse("documents:folder_create", args=[closed_body.slug])
    browser.post(url, {"name": "Protokolle"})

    response = browser.post(url, {"name": "protokolle"}, follow=True)

    assert "Einen Ordner „protokolle“ gibt es in dieser Ablage schon." in response.text
    assert Folder.objects.count() == 1


def test_an_office_file_is_accepted_and_labelled(logged_in, member, closed_body):
    browser = logged_in(member)
    browser.post(
        reverse("documents:upload", args=[closed_body.slug]),
        {"file": SimpleUploadedFile("Bedarfe.docx", DOCX), "title": "Bedarfsabfrage", "visibility": "members"},
    )

    page = browser.get(reverse("documents:library", args=[closed_body.slug])).text
    assert "Bedarfsabfrage" in page and "Word, " in page


def test_outsiders_see_neither_the_library_nor_its_link(client, logged_in, professional, closed_body, members_document):
    library = reverse("documents:library", args=[closed_body.slug])

    refused = logged_in(professional).get(library)
    body_page = logged_in(professional).get(reverse("network:body_detail", args=[closed_body.slug]), follow=True).text

    assert refused.status_code == 403
    assert "Die Ablage eines Gremiums sehen nur seine Mitglieder." in refused.text
    assert library not in body_page and "Protokollentwurf Haushalt" not in body_page
    assert client.get(library).status_code == 302


def test_others_find_a_bodys_network_wide_documents_on_its_page(logged_in, professional, closed_body, make_document):
    make_document(closed_body, title="Ergebnisse der Bedarfsabfrage", visibility="network")

    body_page = logged_in(professional).get(reverse("network:body_detail", args=[closed_body.slug]), follow=True).text

    assert "Ergebnisse der Bedarfsabfrage" in body_page
    assert reverse("documents:library", args=[closed_body.slug]) not in body_page


def test_my_bodies_links_each_library(logged_in, member, closed_body):
    page = logged_in(member).get(reverse("network:my_bodies")).text

    assert f'href="{reverse("documents:library", args=[closed_body.slug])}">Ablage' in page
