"""In Chromium: a Bedarfsabfrage for two bodies from the invitation mails to the exports, and a public survey
that refuses a bot and accepts a person. The pages pass axe-core's WCAG 2.1 AA rules on the way."""

import csv
import io
import re
import time

import pytest
from openpyxl import load_workbook

from surveys import selectors
from surveys.models import Response, SurveyPage

from ..browser_site import BROWSER_CONTEXT, log_in
from ..site.test_accessibility import report, violations
from .conftest import question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_mails(sink, count, timeout=20):
    deadline = time.monotonic() + timeout
    while len(sink.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(sink.messages) == count, [m.rcpt_tos for m in sink.messages]


def link_for(sink, address, base_url, subject_start):
    for entry in reversed(sink.messages):
        message = entry.message
        if address in entry.rcpt_tos and str(message["Subject"]).strip().startswith(subject_start):
            return re.search(
                re.escape(base_url) + r"/umfragen/einladung/\S+/", message.get_body(("plain",)).get_content()
            ).group(0)
    seen = [(entry.rcpt_tos, str(entry.message["Subject"])) for entry in sink.messages]
    raise AssertionError(f"no mail to {address} starting {subject_start!r}: {seen}")


def answer_first_page(page, kind, children=None):
    page.get_by_label(kind, exact=True).check()
    if children is not None:
        page.get_by_label("Wie viele Kinder betreuen Sie?").fill(str(children))
    page.get_by_label("Elterncafé").check()


@pytest.fixture
def bedarfsabfrage(make_survey, make_body, make_user, add_member, coordinator, with_totp):
    """Built before Chromium starts: new memberships send live events, which cannot start from a thread with
    Playwright's running event loop."""
    kita, schule = make_body("FG Kita"), make_body("FG Schule")
    people = {
        "leitung@kita-regenbogen.example.org": kita,
        "schulsozialarbeit@grundschule-seehof.example.org": schule,
        "leitung@kita-wiesenweg.example.org": kita,
    }
    for email, body in people.items():
        add_member(make_user(email), body)
    survey = make_survey(
        title="Bedarfsabfrage Sprachförderung",
        audience=SurveyPage.Audience.INVITED,
        anonymity=SurveyPage.Anonymity.PERSONAL,
        bodies=[kita, schule],
    )
    with_totp(coordinator)
    return survey


def test_a_bedarfsabfrage_reaches_two_bodies_is_answered_reminded_and_counted(
    live_server,
    bedarfsabfrage,
    coordinator,
    smtp_sink,  # noqa: F811 - the fixture imported above
    chromium,
    settings,
    axe_source,
    artifacts,  # noqa: F811
):
    settings.SITE_URL = live_server.url
    survey = bedarfsabfrage
    found = []

    coordination = chromium.new_context(**BROWSER_CONTEXT)
    coordination.add_init_script(path=str(axe_source))
    log_in(coordination, live_server.url, coordinator)
    desk = coordination.new_page()
    desk.goto(f"{live_server.url}/umfragen/{survey.pk}/einladungen/")
    found.append(("invitations", desk.url, violations(desk)))
    desk.get_by_role("button", name="Einladungen senden").click()
    assert desk.get_by_text("3 Einladungen sind unterwegs.").is_visible()
    wait_for_mails(smtp_sink, 3)

    # The first answers both pages at once.
    first = chromium.new_context(**BROWSER_CONTEXT)
    first.add_init_script(path=str(axe_source))
    page = first.new_page()
    page.goto(link_for(smtp_sink, "leitung@kita-regenbogen.example.org", live_server.url, "Einladung"))
    assert page.get_by_text("Diese Umfrage ist persönlich.").is_visible()
    assert page.get_by_text("Seite 1 von 2").is_visible()
    found.append(("answer page 1", page.url, violations(page)))
    # The number question depends on "Kita": hidden until it is chosen (the live script), shown after.
    assert page.get_by_label("Wie viele Kinder betreuen Sie?").is_hidden()
    answer_first_page(page, "Kita", children=48)
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_text("Bitte beantworten Sie diese Frage.").first.is_visible()
    found.append(("answer page with errors", page.url, violations(page)))
    page.get_by_label("5 – sehr gut").first.check()
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_role("heading", name="Vielen Dank für Ihre Antworten!").is_visible()

    # The second saves the first page and stops.
    second = chromium.new_context(**BROWSER_CONTEXT)
    page = second.new_page()
    school_link = link_for(smtp_sink, "schulsozialarbeit@grundschule-seehof.example.org", live_server.url, "Einladung")
    page.goto(school_link)
    answer_first_page(page, "Schule")
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Zwischenspeichern und später weitermachen").click()
    assert page.get_by_text("Ihre Antworten sind gespeichert.").is_visible()
    second.close()

    # A reminder reaches the two who have not sent their answers, not the first.
    desk.get_by_role("button", name="Erinnerung an alle, die noch nicht geantwortet haben").click()
    assert desk.get_by_text("2 Erinnerungen sind unterwegs.").is_visible()
    wait_for_mails(smtp_sink, 5)
    reminded = sorted(
        entry.rcpt_tos[0]
        for entry in smtp_sink.messages
        if str(entry.message["Subject"]).strip().startswith("Erinnerung")
    )
    assert reminded == ["leitung@kita-wiesenweg.example.org", "schulsozialarbeit@grundschule-seehof.example.org"]

    # The second continues later, in a new browser, from the reminder.
    later = chromium.new_context(**BROWSER_CONTEXT)
    page = later.new_page()
    page.goto(link_for(smtp_sink, "schulsozialarbeit@grundschule-seehof.example.org", live_server.url, "Erinnerung"))
    assert page.get_by_text("Sie setzen Ihre zwischengespeicherten Antworten fort.").is_visible()
    assert page.get_by_label("Schule", exact=True).is_checked()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_label("2", exact=True).first.check()
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_role("heading", name="Vielen Dank für Ihre Antworten!").is_visible()

    # The results count both; the exports parse back to the same numbers.
    desk.goto(f"{live_server.url}/umfragen/{survey.pk}/auswertung/")
    desk.screenshot(path=str(artifacts / "survey-results.png"), full_page=True)
    assert desk.get_by_text("2 abgesendete Fragebögen").is_visible()
    assert desk.get_by_text("2 von 3 Eingeladenen haben geantwortet").is_visible()
    kita_row = desk.locator("section", has_text="Welche Art von Einrichtung").locator("tr", has_text="Kita")
    assert kita_row.locator("td").first.inner_text() == "1"
    found.append(("results", desk.url, violations(desk)))
    results = selectors.results(survey)
    cafe = {s.label: s.count for s in results.questions[2].options}["Elterncafé"]
    csv_text = (
        desk.request.get(f"{live_server.url}/umfragen/{survey.pk}/auswertung/antworten.csv").body().decode("utf-8-sig")
    )
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    cafe_col = rows[0].index("3. Welche Angebote fehlen im Quartier? [Elterncafé]")
    assert sum(int(row[cafe_col]) for row in rows[1:]) == cafe == 2
    book = load_workbook(
        io.BytesIO(desk.request.get(f"{live_server.url}/umfragen/{survey.pk}/auswertung/antworten.xlsx").body())
    )
    sheet_rows = list(book["Antworten"].iter_rows(values_only=True))
    assert sum(int(row[cafe_col]) for row in sheet_rows[1:]) == cafe
    assert sorted(row[1] for row in sheet_rows[1:]) == ["FG Kita", "FG Schule"]
    desk.goto(f"{live_server.url}/umfragen/{survey.pk}/auswertung/freitexte/")
    found.append(("moderation", desk.url, violations(desk)))
    desk.goto(f"{live_server.url}/umfragen/{survey.pk}/auswertung/")
    desk.get_by_role("checkbox", name="1. Welche Art von Einrichtung vertreten Sie?").check()
    desk.get_by_label("öffentlich zeigen").check()
    desk.get_by_role("button", name="Speichern", exact=True).click()
    assert desk.get_by_text("Die gewählten Ergebnisse sind öffentlich.").is_visible()
    desk.goto(f"{live_server.url}/umfragen/{survey.pk}/ergebnisse/")
    # Two answers: the public page names the question but shows no numbers.
    assert desk.get_by_text("Weniger als 5 Antworten").is_visible()
    found.append(("public results", desk.url, violations(desk)))
    for context in (coordination, first, later):
        context.close()
    assert Response.objects.filter(survey=survey, submitted_on__isnull=False).count() == 2
    assert not [entry for entry in found if entry[2]], report(found)


@pytest.fixture
def stadtteilfest(make_survey):
    return make_survey(
        title="Stadtteilfest Seehof 2026",
        questions=[
            question(
                "scale",
                "Wie hat Ihnen das Stadtteilfest gefallen?",
                required=True,
                low_label="gar nicht",
                high_label="sehr gut",
            ),
            question("long_text", "Was sollen wir nächstes Jahr anders machen?"),
        ],
    )


def test_a_public_survey_refuses_a_bot_and_accepts_a_person(live_server, stadtteilfest, chromium, settings, axe_source):
    settings.SURVEYS_MIN_FILL_SECONDS = 3
    survey = stadtteilfest
    context = chromium.new_context(**BROWSER_CONTEXT)
    context.add_init_script(path=str(axe_source))
    page = context.new_page()
    url = f"{live_server.url}/umfragen/{survey.pk}/antworten/"

    page.goto(live_server.url + survey.url)
    assert page.get_by_text("Diese Umfrage ist anonym.").is_visible()
    assert not violations(page), report([("survey page", page.url, violations(page))])
    page.get_by_role("link", name="Umfrage starten").click()
    assert page.url == url

    # A bot fills every field it finds, the hidden one too, and sends at once.
    page.goto(url)
    page.get_by_label("5 – sehr gut").check()
    page.evaluate("document.querySelector('[name=homepage]').value = 'http://billig.example'")
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_text("„Bitte dieses Feld leer lassen“ war ausgefüllt").is_visible()
    # Without the honeypot, but faster than anyone reads.
    page.evaluate("document.querySelector('[name=homepage]').value = ''")
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_text("Das ging sehr schnell.").is_visible()
    assert not Response.objects.filter(survey=survey).exists()
    assert not violations(page), report([("refused", page.url, violations(page))])

    # A person takes their time.
    page.goto(url)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Was sollen wir nächstes Jahr anders machen?").fill("Mehr Schatten auf dem Festplatz.")
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_role("heading", name="Vielen Dank für Ihre Antworten!").is_visible()
    response = Response.objects.get(survey=survey)
    assert response.answers.filter(number=4).exists()
    context.close()
