"""A person answers a public survey page by page in the browser's plain HTML form (no JavaScript)."""

from django.urls import reverse

from surveys import spam
from surveys.models import Answer, Response
from surveys.questions import OTHER

from .conftest import ids


def post_page(client, url, page, data, action="next"):
    return client.post(url, {"page": page, "action": action, "started": spam.started_token(), **data})


def test_a_visitor_answers_both_pages_and_the_answers_are_stored(client, make_survey):
    survey = make_survey()
    q = ids(survey)
    url = reverse("surveys:answer", args=[survey.pk])

    first = client.get(url)
    assert "Seite 1 von 2" in first.text
    assert "Diese Umfrage ist anonym." in first.text

    second = post_page(
        client,
        url,
        0,
        {
            f"q-{q[1]}": "Kita",
            f"q-{q[2]}": "42",
            f"q-{q[3]}": ["Elterncafé", OTHER],
            f"q-{q[3]}-other": "Hausaufgabenhilfe",
        },
    )
    assert second.status_code == 200
    assert "Seite 2 von 2" in second.text

    done = post_page(
        client,
        url,
        1,
        {f"q-{q[4]}": "4", f"q-{q[5]}-0": "5", f"q-{q[5]}-1": "3", f"q-{q[6]}": "Mehr Räume"},
        action="submit",
    )
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200

    response = Response.objects.get(survey=survey)
    stored = {(a.question, a.item, a.choice, a.number, a.text) for a in response.answers.all()}
    assert (q[1], "", "Kita", None, "") in stored
    assert (q[2], "", "", 42, "") in stored
    assert (q[3], "", OTHER, None, "Hausaufgabenhilfe") in stored
    assert (q[5], "0", "", 5, "") in stored
    assert (q[6], "", "", None, "Mehr Räume") in stored


def test_a_required_question_left_empty_keeps_the_person_on_the_page_with_a_linked_error(client, make_survey):
    survey = make_survey()
    q = ids(survey)
    url = reverse("surveys:answer", args=[survey.pk])

    response = post_page(client, url, 0, {f"q-{q[3]}": ["Elterncafé"]})

    assert response.status_code == 400
    assert "Bitte beantworten Sie diese Frage." in response.text
    assert f'aria-describedby="id_q-{q[1]}_error"' in response.text
    # What was typed stays.
    assert (
        'value="Elterncafé" checked' in response.text
        or 'value="Elterncafé"\n' in response.text
        or "checked" in response.text
    )
    assert Answer.objects.count() == 0


def test_a_question_whose_condition_is_not_met_is_not_stored(client, make_survey):
    survey = make_survey()
    q = ids(survey)
    url = reverse("surveys:answer", args=[survey.pk])

    post_page(client, url, 0, {f"q-{q[1]}": "Schule", f"q-{q[2]}": "42"})
    post_page(client, url, 1, {f"q-{q[4]}": "2"}, action="submit")

    answers = Response.objects.get(survey=survey).answers
    assert not answers.filter(question=q[2]).exists()
    assert answers.filter(question=q[1], choice="Schule").exists()


def test_going_back_shows_what_was_answered_before(client, make_survey):
    survey = make_survey()
    q = ids(survey)
    url = reverse("surveys:answer", args=[survey.pk])
    post_page(client, url, 0, {f"q-{q[1]}": "Beratungsstelle"})

    back = post_page(client, url, 1, {f"q-{q[4]}": "3"}, action="back")

    assert "Seite 1 von 2" in back.text
    assert 'value="Beratungsstelle" id="id_q-' in back.text and "checked" in back.text
