"""The coordinator writes the yearly report around the counted figures, publishes it (figures frozen), and
professionals read it as a page and as a PDF."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from forum import services as forum_services
from reports.models import AnnualReport

YEAR = timezone.localdate().year


@pytest.fixture
def report(coordinator, member, closed_body):
    forum_services.create_topic(member, closed_body.forum_board, "Übergänge gestalten", "Erster Beitrag")
    return AnnualReport.objects.create(
        year=YEAR,
        introduction="Ein **gutes** Jahr für das Netzwerk.",
        outlook="2027 folgt die <script>x</script>Konferenz.",
    )


def test_the_coordinator_starts_writes_and_publishes_a_report(logged_in, coordinator, member, closed_body):
    browser = logged_in(coordinator)
    forum_services.create_topic(member, closed_body.forum_board, "Übergänge gestalten", "Erster Beitrag")

    response = browser.post("/jahresbericht/", {"year": YEAR})
    assert response.status_code == 302 and response["Location"] == f"/jahresbericht/{YEAR}/bearbeiten/"
    browser.post(f"/jahresbericht/{YEAR}/bearbeiten/", {"introduction": "Ein *bewegtes* Jahr.", "outlook": ""})
    page = browser.get(f"/jahresbericht/{YEAR}/").content.decode()
    assert "Entwurf" in page and "<em>bewegtes</em>" in page
    assert "1 neue Themen und 1 Beiträge von 1 aktiven Mitgliedern" in page

    html = browser.post(f"/jahresbericht/{YEAR}/bearbeiten/", {"action": "publish"}, follow=True).content.decode()

    assert "Der Jahresbericht ist veröffentlicht." in html and "die Zahlen sind der Stand dieses Tages" in html
    report = AnnualReport.objects.get(year=YEAR)
    assert report.figures["forum"]["posts"] == 1


def test_a_published_report_keeps_its_figures_when_more_happens(logged_in, coordinator, member, closed_body, report):
    browser = logged_in(coordinator)
    browser.post(f"/jahresbericht/{YEAR}/bearbeiten/", {"action": "publish"})

    forum_services.create_topic(member, closed_body.forum_board, "Später", "Noch ein Beitrag")

    page = logged_in(member).get(f"/jahresbericht/{YEAR}/").content.decode()
    assert "1 neue Themen und 1 Beiträge" in page
    browser.post(f"/jahresbericht/{YEAR}/bearbeiten/", {"action": "withdraw"})
    assert "2 neue Themen und 2 Beiträge" in browser.get(f"/jahresbericht/{YEAR}/").content.decode()


def test_texts_are_rendered_as_markdown_and_sanitised(logged_in, coordinator, report):
    page = logged_in(coordinator).get(f"/jahresbericht/{YEAR}/").content.decode()

    assert "Ein <strong>gutes</strong> Jahr" in page
    assert "<script>x</script>" not in page and "Konferenz." in page


def test_the_pdf_has_the_report_with_contents_and_page_numbers(logged_in, coordinator, report, closed_body):
    response = logged_in(coordinator).get(f"/jahresbericht/{YEAR}/jahresbericht.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="Jahresbericht {YEAR}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Jahresbericht {YEAR}" in text and "Inhalt" in text and "Austausch im Forum" in text
    assert closed_body.name in text and f"Seite 2 von {len(reader.pages)}" in text


def test_a_draft_is_hidden_from_members_and_a_published_report_is_shown(logged_in, coordinator, member, report):
    reader = logged_in(member)
    draft = reader.get(f"/jahresbericht/{YEAR}/")
    assert draft.status_code == 403 and "noch nicht veröffentlicht" in draft.content.decode()
    assert "Noch ist kein Jahresbericht veröffentlicht." in reader.get("/jahresbericht/").content.decode()

    logged_in(coordinator).post(f"/jahresbericht/{YEAR}/bearbeiten/", {"action": "publish"})

    assert f"Jahresbericht {YEAR}" in reader.get("/jahresbericht/").content.decode()
    assert reader.get(f"/jahresbericht/{YEAR}/").status_code == 200
    assert reader.get(f"/jahresbericht/{YEAR}/bearbeiten/").status_code == 403


@pytest.mark.parametrize("year, message", [(1999, "Einen Jahresbericht gibt es für die Jahre 2018 bis"), (0, "")])
def test_a_year_outside_the_platforms_time_is_refused(logged_in, coordinator, year, message):
    response = logged_in(coordinator).post("/jahresbericht/", {"year": year})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AnnualReport.objects.exists()
