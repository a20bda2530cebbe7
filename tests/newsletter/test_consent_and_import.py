"""Consent records for the coordination (list, CSV) and the CSV import that only takes provable consent."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from newsletter import services
from newsletter.imports import ImportFormatError, import_subscribers
from newsletter.models import ConsentRecord, Subscriber, Subscription

from .conftest import as_received, bodies_of

CSV = """email,name,consent_source,consent_given_at,consent_text
neu@example.org,Nora Neu,Anmeldeliste Sozialraumkonferenz 2024,2024-11-20,Ich möchte den Newsletter erhalten.
NEU@example.org,Doppelt,Anmeldeliste,2024-11-20,Ich möchte den Newsletter erhalten.
kaputt@,Kaputt,Anmeldeliste,2024-11-20,Text
ohne-quelle@example.org,,,2024-11-20,Text
ohne-datum@example.org,,Anmeldeliste,,Text
abgemeldet@example.org,,Anmeldeliste,20.11.2024,Text
unzustellbar@example.org,,Anmeldeliste,2024-11-20,Text
schon@example.org,,Anmeldeliste,2024-11-20,Text
offen@example.org,Otto Offen,"Formular, Papier",20.11.2024 10:30,"Mehrzeiliger
Einwilligungstext"
zukunft@example.org,,Anmeldeliste,2999-01-01,Text
"""


@pytest.fixture
def existing(newsletter, subscribe):
    subscribe("Abgemeldet@example.org", status=Subscription.Status.UNSUBSCRIBED)
    subscribe("unzustellbar@example.org", status=Subscription.Status.UNSUBSCRIBED, to=None)
    services.record_hard_bounce("unzustellbar@example.org", "550 5.1.1")
    Subscription.objects.filter(subscriber__email="unzustellbar@example.org").delete()
    subscribe("schon@example.org")
    subscribe("offen@example.org", status=Subscription.Status.PENDING)


def test_import_takes_only_provable_consent_and_reports_every_other_row(newsletter, existing):
    report = import_subscribers(newsletter, CSV, source_detail="Import aus liste.csv")
    assert report.imported == ["neu@example.org", "offen@example.org"]
    reasons = {line: reason for line, _address, reason in report.rejected}
    assert reasons == {
        3: "doppelt in der Datei (zuerst in Zeile 2)",
        4: "keine gültige E-Mail-Adresse",
        5: "Herkunft der Einwilligung (consent_source) fehlt",
        6: "Zeitpunkt der Einwilligung (consent_given_at) fehlt oder ist unlesbar, erwartet z. B. 2024-03-01 oder 01.03.2024",
        7: "hat sich von diesem Newsletter abgemeldet",
        8: "Adresse ist als unzustellbar gesperrt",
        9: "ist bereits angemeldet",
        # The multi-line consent text spans lines 10 and 11.
        12: "Zeitpunkt der Einwilligung liegt in der Zukunft",
    }
    new = Subscription.objects.get(subscriber__email="neu@example.org")
    assert new.status == Subscription.Status.CONFIRMED and new.subscriber.name == "Nora Neu"
    consent = new.consents.get()
    assert consent.source == ConsentRecord.Source.IMPORT
    assert consent.source_detail == "Anmeldeliste Sozialraumkonferenz 2024 (Import aus liste.csv)"
    assert (
        consent.consent_text == "Ich möchte den Newsletter erhalten."
        and timezone.localdate(consent.given_at).isoformat() == "2024-11-20"
    )
    pending = Subscription.objects.get(subscriber__email="offen@example.org")
    assert pending.status == Subscription.Status.CONFIRMED
    assert pending.consents.get(source="import").consent_text == "Mehrzeiliger\nEinwilligungstext"
    assert Subscription.objects.get(subscriber__email__iexact="abgemeldet@example.org").status == "unsubscribed"
    assert Subscriber.objects.get(email="unzustellbar@example.org").status == Subscriber.Status.BOUNCED


def test_imported_names_greet_the_reader(newsletter, make_edition, mailoutbox):
    from newsletter.delivery import lifecycle, worker

    import_subscribers(newsletter, CSV.split("\n", 2)[0] + "\n" + CSV.split("\n", 2)[1] + "\n", source_detail="x")
    lifecycle.start_send(services.create_send(make_edition()), enqueue=False)
    worker.run_worker()
    (message,) = mailoutbox
    text, html = bodies_of(as_received(message))
    assert "Guten Tag Nora Neu," in text and "Guten Tag Nora Neu," in html


def test_a_file_without_consent_columns_is_refused_as_a_whole(newsletter):
    with pytest.raises(ImportFormatError, match="consent_source, consent_given_at, consent_text"):
        import_subscribers(newsletter, "email;name\nx@example.org;X\n", source_detail="x")


def test_a_file_unreadable_halfway_imports_nothing_and_says_where(newsletter):
    good_row = "lea@example.org,Lea,Formular Sommerfest,2026-01-31,Ich möchte den Newsletter erhalten.\n"
    text = "email,name,consent_source,consent_given_at,consent_text\n" + good_row + "x" * 140_000 + ",,,,\n"

    with pytest.raises(ImportFormatError, match="ab Zeile 3 kein lesbares CSV"):
        import_subscribers(newsletter, text, source_detail="Test")

    assert not Subscriber.objects.filter(email="lea@example.org").exists()


def test_semicolons_and_the_management_command(newsletter, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(
        "\ufeffemail;consent_source;consent_given_at;consent_text\na@example.org;Papierliste;01.02.2024;Ja\nb@;x;01.02.2024;Ja\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_subscribers", newsletter.slug, str(path), stdout=out)
    assert "line 3: b@: keine gültige E-Mail-Adresse" in out.getvalue() and "1 imported, 1 rejected." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("import_subscribers", "gibt-es-nicht", str(path))


def test_admin_import_for_coordinators_only(coordinator_client, client, professional, newsletter, existing):
    url = reverse("newsletter_import:index")
    upload = SimpleUploadedFile("liste.csv", CSV.encode(), content_type="text/csv")
    page = coordinator_client.post(url, {"newsletter": newsletter.pk, "file": upload}).content.decode()
    assert "2 Adressen importiert" in page and "8 Zeilen nicht importiert" in page
    assert "<td>4</td><td>kaputt@</td><td>keine gültige E-Mail-Adresse</td>" in page

    client.force_login(professional)
    assert client.get(url).status_code in (302, 403)


def test_consent_list_and_csv_export(
    coordinator_client, client, professional, newsletter, django_capture_on_commit_callbacks
):
    services.subscribe(
        newsletter,
        "=formel@example.org",
        source_detail="https://sozialraum.example.org/newsletter/anmelden/x/",
        ip_address="192.0.2.1",
    )
    subscription, _outcome = services.subscribe(
        newsletter, "leser@example.org", source_detail="https://sozialraum.example.org/form/"
    )
    services.confirm_subscription(subscription.pk)
    services.unsubscribe("leser@example.org", newsletter)

    page = coordinator_client.get(reverse("newsletter_consents:index")).content.decode()
    assert "leser@example.org" in page and "https://sozialraum.example.org/form/" in page

    response = coordinator_client.get(reverse("newsletter_consents:export") + f"?newsletter={newsletter.pk}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Adresse",
        "Liste",
        "Quelle",
        "URL/Herkunft",
        "Version des Textes",
        "Einwilligungstext",
        "erteilt",
        "Bestätigungsmail gesendet",
        "bestätigt",
        "widerrufen",
    ]
    by_address = {row[0]: row for row in rows[1:]}
    leser = by_address["leser@example.org"]
    assert leser[1] == "Sozialraum aktuell" and leser[2] == "Anmeldeformular" and leser[4] == newsletter.consent_version
    assert leser[5] == newsletter.effective_consent_text and all(leser[6:10])
    # A cell that a spreadsheet would run as a formula is defused.
    assert "'=formel@example.org" in by_address

    client.force_login(professional)
    assert client.get(reverse("newsletter_consents:export")).status_code in (302, 403)
