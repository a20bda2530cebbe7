"""The results page costs the same number of queries for 10 answers as for 200, with and without filters,
on SQLite and on PostgreSQL."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Answer, Response, SurveyPage

from .conftest import full_answers, ids

pytestmark = pytest.mark.both_databases

RESULTS_QUERIES = 20


def add_responses(survey, count, bodies, rng):
    """Sent answers written as the service writes them (Answer.rows_of), in bulk to keep the test fast."""
    by_id = {q.id: q for section in survey.sections() for q in section.questions}
    for number in range(count):
        response = Response.objects.create(survey=survey, body=bodies[number % len(bodies)], submitted_on="2026-11-30")
        Answer.objects.bulk_create(
            row
            for question_id, value in full_answers(survey, rng).items()
            for row in Answer.rows_of(response, by_id[question_id], value)
        )


def queries_of(browser, url):
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(url)
    assert page.status_code == 200
    return len(queries), page


@pytest.mark.parametrize("filtered", [False, True])
def test_the_results_page_needs_as_many_queries_for_200_answers_as_for_10(
    logged_in, coordinator, make_survey, make_body, django_assert_max_num_queries, filtered
):
    bodies = [make_body("FG Kita"), make_body("FG Schule")]
    survey = make_survey(audience=SurveyPage.Audience.INVITED, bodies=bodies)
    q = ids(survey)
    browser = logged_in(coordinator)
    url = reverse("surveys:results", args=[survey.pk])
    if filtered:
        url += f"?gremium={bodies[0].pk}&frage={q[1]}&antwort=Kita"
    rng = random.Random(10)
    browser.get(url)

    add_responses(survey, 10, bodies, rng)
    with django_assert_max_num_queries(RESULTS_QUERIES):
        few, few_page = queries_of(browser, url)
    add_responses(survey, 190, bodies, rng)
    with django_assert_max_num_queries(RESULTS_QUERIES):
        many, many_page = queries_of(browser, url)

    assert few == many
    if not filtered:
        assert "10 abgesendete Fragebögen" in few_page.text and "200 abgesendete Fragebögen" in many_page.text
    else:
        assert "(gefiltert)" in many_page.text


def test_the_public_results_need_as_many_queries_for_200_answers_as_for_10(
    client, make_survey, make_body, coordinator, django_assert_max_num_queries
):
    bodies = [make_body("FG Kita")]
    survey = make_survey()
    q = ids(survey)
    SurveyPage.objects.filter(pk=survey.pk).update(results_published=True, published_questions=[q[1], q[4], q[6]])
    url = reverse("surveys:public_results", args=[survey.pk])
    rng = random.Random(11)
    client.get(url)

    add_responses(survey, 10, bodies, rng)
    with django_assert_max_num_queries(RESULTS_QUERIES):
        few, _page = queries_of(client, url)
    add_responses(survey, 190, bodies, rng)
    with django_assert_max_num_queries(RESULTS_QUERIES):
        many, page = queries_of(client, url)

    assert few == many
    assert "200 Fragebögen ausgewertet" in page.text and "Wie gut ist die Zusammenarbeit" in page.text
