"""Bad answers get a German message; nothing stored changes and no earlier answer is lost."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.permissions import PermissionDenied
from surveys import services, spam
from surveys.models import Answer, Participant, Response, SurveyPage
from surveys.questions import LONG_TEXT_MAX

from .conftest import full_answers, ids


def snapshot():
    return (
        sorted(Response.objects.values_list("pk", "submitted_on")),
        sorted(Answer.objects.values_list("response_id", "question", "item", "choice", "number", "text")),
        sorted(Participant.objects.values_list("pk", "answered")),
    )


@pytest.fixture
def survey_with_an_answer(make_survey):
    survey = make_survey()
    services.submit(_anonymous(), survey, full_answers(survey))
    return survey


def _anonymous():
    return AnonymousUser()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda q: {"frage-die-es-nicht-gibt": "x"}, "Diese Frage gibt es in der Umfrage nicht."),
        (lambda q: {q[1]: {"choice": "Kaufhaus", "other": ""}}, "Diese Antwort wird bei der Frage nicht angeboten."),
        (lambda q: {q[3]: {"choices": ["Elterncafé", "Schwimmbad"], "other": ""}}, "nicht angeboten"),
        (lambda q: {q[1]: {"choice": "Kita", "other": ""}, q[2]: 501}, "Bitte geben Sie eine Zahl von 0 bis 500 an."),
        (lambda q: {q[4]: 6}, "Bitte geben Sie eine Zahl von 1 bis 5 an."),
        (lambda q: {q[5]: {"7": 3}}, "Diese Aussage gehört nicht zur Frage."),
        (lambda q: {q[7]: "x" * (LONG_TEXT_MAX + 1)}, "höchstens 5000 Zeichen"),
        (lambda q: {q[4]: None}, "Bitte beantworten Sie noch die Pflichtfragen 4."),
    ],
)
def test_an_answer_the_survey_does_not_offer_is_refused_and_nothing_changes(survey_with_an_answer, change, message):
    survey = survey_with_an_answer
    answers = {**full_answers(survey), **change(ids(survey))}
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        services.submit(_anonymous(), survey, answers)

    assert message in " ".join(refused.value.messages)
    assert snapshot() == before


def test_answers_to_a_closed_survey_are_refused_with_the_date_and_nothing_changes(client, survey_with_an_answer):
    survey = survey_with_an_answer
    SurveyPage.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    survey.refresh_from_db()
    before = snapshot()

    with pytest.raises(PermissionDenied, match="geschlossen"):
        services.submit(_anonymous(), survey, full_answers(survey))
    page = client.post(reverse("surveys:answer", args=[survey.pk]), {"page": 1, "action": "submit"})

    assert page.status_code == 403
    assert "Diese Umfrage ist seit" in page.text and "geschlossen" in page.text
    assert "geschlossen" in client.get(survey.url).text
    assert snapshot() == before


def test_an_oversized_text_in_the_form_is_refused_and_the_rest_stays_in_the_form(client, make_survey):
    survey = make_survey()
    q = ids(survey)
    url = reverse("surveys:answer", args=[survey.pk])
    client.post(url, {"page": 0, "action": "next", f"q-{q[1]}": "Kita"})

    page = client.post(
        url,
        {"page": 1, "action": "submit", "started": spam.started_token(), f"q-{q[4]}": "4", f"q-{q[7]}": "ü" * 6000},
    )

    assert page.status_code == 400
    assert "höchstens 5000 Zeichen" in page.text
    assert 'value="4" id="id_q-' in page.text and "checked" in page.text
    assert not Response.objects.exists()


def test_a_tampered_or_replaced_invitation_link_is_not_found_with_a_german_message(client, make_survey, make_body):
    survey = make_survey(audience=SurveyPage.Audience.INVITED)
    participant = Participant.objects.create(survey=survey, email="kita@example.org", nonce="a" * 32)
    token = services.tokens.make_token(participant)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    Participant.objects.filter(pk=participant.pk).update(nonce="b" * 32)

    for link in (tampered, token, "kein-token"):
        page = client.get(reverse("surveys:invitation", args=[link]))
        assert page.status_code == 404
        assert "Dieser Link ist ungültig" in page.text


def test_a_second_anonymous_answer_from_the_same_invitation_is_refused_and_the_first_stays(client, make_survey):
    survey = make_survey(audience=SurveyPage.Audience.INVITED)
    participant = Participant.objects.create(survey=survey, email="traeger@example.org", nonce="c" * 32)
    services.submit(_anonymous(), survey, full_answers(survey), participant=participant)
    before = snapshot()

    with pytest.raises(services.AlreadyAnswered, match="bereits geantwortet"):
        services.submit(_anonymous(), survey, full_answers(survey), participant=participant)
    link = reverse("surveys:invitation", args=[services.tokens.make_token(participant)])
    again = client.get(link)
    posted = client.post(link, {"page": 1, "action": "submit"})

    assert again.status_code == 409 and "Sie haben bereits teilgenommen" in again.text
    assert posted.status_code == 409
    assert snapshot() == before
    assert Response.objects.count() == 1
