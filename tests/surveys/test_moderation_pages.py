"""Every free text can be checked, however many there are: the moderation page goes by pages and by question."""

from django.urls import reverse

from surveys.models import Answer, Response

from .conftest import ids


def add_texts(survey, question, count):
    """Sent long-text answers written as the service writes them, in bulk."""
    by_id = {q.id: q for section in survey.sections() for q in section.questions}
    responses = Response.objects.bulk_create(Response(survey=survey, submitted_on="2026-11-30") for _ in range(count))
    Answer.objects.bulk_create(
        row
        for number, response in enumerate(responses, start=1)
        for row in Answer.rows_of(response, by_id[question], f"Hinweis Nummer {number:04d}")
    )


def test_the_last_of_520_free_texts_is_on_the_last_page_and_its_decision_is_kept(logged_in, coordinator, make_survey):
    survey = make_survey()
    q = ids(survey)
    add_texts(survey, q[7], 520)
    browser = logged_in(coordinator)
    url = reverse("surveys:moderate", args=[survey.pk])

    first, last = browser.get(url), browser.get(url + "?seite=6")
    newest = Answer.objects.get(survey=survey, text="Hinweis Nummer 0520")
    saved = browser.post(url + "?seite=6", {f"text-{newest.pk}": "approved"})

    assert "Hinweis Nummer 0001" in first.text and "Hinweis Nummer 0520" not in first.text
    assert "520 Freitexte, hier 1 bis 100" in first.text and 'rel="next"' in first.text
    assert "Hinweis Nummer 0520" in last.text and "Hinweis Nummer 0001" not in last.text
    assert saved.status_code == 302 and saved["Location"].endswith("?seite=6")
    assert Answer.objects.get(pk=newest.pk).text_status == Answer.TextStatus.APPROVED


def test_the_results_link_to_the_free_texts_of_one_question(logged_in, coordinator, make_survey):
    survey = make_survey()
    q = ids(survey)
    add_texts(survey, q[6], 3)
    add_texts(survey, q[7], 40)
    browser = logged_in(coordinator)

    results = browser.get(reverse("surveys:results", args=[survey.pk]))
    link = reverse("surveys:moderate", args=[survey.pk]) + f"?frage={q[6]}"
    texts = browser.get(link)

    assert f'href="{link}"' in results.text and "Alle Freitexte zu Frage 6 prüfen" in results.text
    assert "3 Freitexte, hier 1 bis 3" in texts.text and "Nur die Freitexte zu Frage 6." in texts.text
    assert texts.text.count("Hinweis Nummer") == 3
