"""Results for the owners (counts, percentages, averages, filters), exports that parse back, and public results."""

import csv
import io
import random
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from openpyxl import load_workbook

from surveys import selectors, services
from surveys.exports import table
from surveys.models import Answer, Participant, SurveyPage

from .conftest import full_answers, ids


@pytest.fixture
def answered_survey(make_survey, make_body):
    """Twelve answers from two bodies' invitations, seeded."""
    kita, schule = make_body("FG Kita"), make_body("FG Schule")
    survey = make_survey(audience=SurveyPage.Audience.INVITED, bodies=[kita, schule])
    rng = random.Random(2026)
    sent = []
    for number in range(12):
        body = kita if number % 3 else schule
        participant = Participant.objects.create(
            survey=survey, email=f"p{number}@example.org", body=body, nonce=f"{number:032d}"
        )
        answers = full_answers(survey, rng)
        services.submit(AnonymousUser(), survey, answers, participant=participant)
        sent.append((body, answers))
    return survey, sent, kita


def expected_counts(survey, sent):
    q = ids(survey)
    kinds = Counter(answers[q[1]]["choice"] for _, answers in sent)
    offers = Counter(choice for _, answers in sent for choice in answers[q[3]]["choices"])
    scale = [answers[q[4]] for _, answers in sent]
    return kinds, offers, scale


def test_the_results_page_shows_counts_percentages_and_the_average(logged_in, coordinator, answered_survey):
    survey, sent, _kita = answered_survey
    kinds, offers, scale = expected_counts(survey, sent)

    page = logged_in(coordinator).get(reverse("surveys:results", args=[survey.pk]))

    assert page.status_code == 200
    assert "12 abgesendete Fragebögen" in page.text
    kita_share = round(100 * kinds["Kita"] / 12, 1)
    assert (
        f'<th scope="row">Kita</th><td data-count="{kinds["Kita"]}">{kinds["Kita"]}</td><td>{kita_share:.1f}'.replace(
            ".", ","
        )
        in page.text.replace(".", ",")
    )
    assert f"Durchschnitt {sum(scale) / 12:.2f}".replace(".", ",") in page.text
    assert '<svg class="chart chart--bars"' in page.text
    result = selectors.results(survey)
    by_label = {s.label: s.count for s in result.questions[2].options}
    assert by_label["Elterncafé"] == offers["Elterncafé"]


def test_filters_by_body_and_by_an_answer_to_another_question(answered_survey):
    survey, sent, kita = answered_survey
    q = ids(survey)

    by_body = selectors.results(survey, body_id=kita.pk)
    by_answer = selectors.results(survey, condition=(q[1], "Kita"))

    assert by_body.total == sum(1 for body, _ in sent if body == kita)
    assert by_answer.total == sum(1 for _, a in sent if a[q[1]]["choice"] == "Kita")
    assert {s.label: s.count for s in by_answer.questions[0].options}["Schule"] == 0


def test_csv_and_xlsx_exports_parse_back_to_the_numbers_of_the_results(logged_in, coordinator, answered_survey):
    survey, _sent, _kita = answered_survey
    browser = logged_in(coordinator)
    results = selectors.results(survey)
    kinds = {s.label: s.count for s in results.questions[0].options}
    elterncafe = {s.label: s.count for s in results.questions[2].options}["Elterncafé"]
    average = results.questions[3].average

    csv_response = browser.get(reverse("surveys:export_csv", args=[survey.pk]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    xlsx_response = browser.get(reverse("surveys:export_xlsx", args=[survey.pk]))
    sheet = load_workbook(io.BytesIO(xlsx_response.content))["Antworten"]
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    for head, parsed in ((header, body), (xlsx_rows[0], xlsx_rows[1:])):
        kind_col = head.index("1. Welche Art von Einrichtung vertreten Sie?")
        cafe_col = head.index("3. Welche Angebote fehlen im Quartier? [Elterncafé]")
        scale_col = head.index("4. Wie gut ist die Zusammenarbeit im Netzwerk?")
        assert len(parsed) == results.total == 12
        assert Counter(row[kind_col] for row in parsed) == Counter({k: v for k, v in kinds.items() if v})
        assert sum(int(row[cafe_col]) for row in parsed) == elterncafe
        assert round(sum(int(row[scale_col]) for row in parsed) / len(parsed), 2) == average


def test_a_text_that_would_run_as_a_formula_is_exported_as_text(make_survey):
    survey = make_survey()
    q = ids(survey)
    services.submit(AnonymousUser(), survey, {**full_answers(survey), q[6]: '=HYPERLINK("http://böse.example")'})

    _header, rows = table(survey)

    assert rows[0][-2].startswith("'=HYPERLINK")


def test_public_results_show_chosen_questions_approved_texts_and_hide_small_groups(
    client, logged_in, coordinator, make_survey, answered_survey
):
    survey, _sent, _kita = answered_survey
    q = ids(survey)
    small = make_survey()
    services.submit(AnonymousUser(), small, full_answers(small))
    texts = list(Answer.objects.filter(survey=survey, question=q[6]))
    browser = logged_in(coordinator)
    browser.post(reverse("surveys:moderate", args=[survey.pk]), {f"text-{texts[0].pk}": "approved"})
    Answer.objects.filter(pk=texts[0].pk).update(text="Wir brauchen mehr Sprachförderung in Teltow-Seehof.")
    assert client.get(reverse("surveys:public_results", args=[survey.pk])).status_code == 404

    browser.post(reverse("surveys:publish", args=[survey.pk]), {"published": "on", "questions": [q[1], q[6]]})
    browser_small = logged_in(coordinator)
    browser_small.post(reverse("surveys:publish", args=[small.pk]), {"published": "on", "questions": [ids(small)[1]]})

    page = client.get(reverse("surveys:public_results", args=[survey.pk]))
    assert page.status_code == 200
    assert "Welche Art von Einrichtung" in page.text and "Wie gut ist die Zusammenarbeit" not in page.text
    assert "Wir brauchen mehr Sprachförderung in Teltow-Seehof." in page.text
    assert page.text.count("Mehr Fachkräfte für Sprachförderung.") == 0  # not approved
    small_page = client.get(reverse("surveys:public_results", args=[small.pk]))
    assert "Weniger als 5 Antworten: zum Schutz der Anonymität nicht angezeigt." in small_page.text
    assert "data-count" not in small_page.text


def test_only_the_coordination_and_the_owner_see_the_results(logged_in, make_user, make_survey, coordinator):
    owner, other = make_user("fg-kita@example.org"), make_user("fachkraft@example.org")
    survey = make_survey(owner=owner)

    assert logged_in(owner).get(reverse("surveys:results", args=[survey.pk])).status_code == 200
    assert logged_in(coordinator).get(reverse("surveys:results", args=[survey.pk])).status_code == 200
    refused = logged_in(other).get(reverse("surveys:results", args=[survey.pk]))
    assert refused.status_code == 403 and "Die Auswertung dieser Umfrage sehen" in refused.text
