"""Public surveys refuse bots without third-party services: honeypot, least fill time, per-address limit."""

import pytest
from django.urls import reverse

from surveys import spam
from surveys.models import Response

from .conftest import ids, question


@pytest.fixture
def one_page_survey(make_survey):
    return make_survey(questions=[question("scale", "Wie zufrieden sind Sie mit dem Stadtteilfest?", required=True)])


def send(client, survey, **extra):
    q = ids(survey)
    return client.post(
        reverse("surveys:answer", args=[survey.pk]),
        {"page": 0, "action": "submit", f"q-{q[1]}": "4", "started": spam.started_token(), **extra},
        REMOTE_ADDR="203.0.113.9",
    )


def test_a_filled_honeypot_is_refused_with_a_message_and_the_answer_stays_in_the_form(client, one_page_survey):
    page = send(client, one_page_survey, homepage="http://spam.example")

    assert page.status_code == 400
    assert "Bitte dieses Feld leer lassen" in page.text
    assert 'value="4"' in page.text and "checked" in page.text
    assert not Response.objects.exists()


def test_a_form_sent_faster_than_a_person_reads_is_refused_and_a_person_gets_through_later(
    client, one_page_survey, settings, monkeypatch
):
    settings.SURVEYS_MIN_FILL_SECONDS = 5
    too_fast = send(client, one_page_survey)
    assert too_fast.status_code == 400 and "Das ging sehr schnell" in too_fast.text
    assert not Response.objects.exists()

    started = spam.started_token()
    clock = spam.time.time()
    monkeypatch.setattr(spam.time, "time", lambda: clock + 6)
    person = send(client, one_page_survey, started=started)

    assert person.status_code == 302
    assert Response.objects.count() == 1


def test_a_forged_start_time_is_refused(client, one_page_survey):
    page = send(client, one_page_survey, started="1700000000:gefälscht")

    assert page.status_code == 400 and "Das Formular ist abgelaufen" in page.text
    assert not Response.objects.exists()


def test_one_address_may_send_only_so_many_answers(client, one_page_survey, settings):
    settings.SURVEYS_ANSWER_RATE_LIMIT = "2/h/ip"

    statuses = [send(client, one_page_survey).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    refused = send(client, one_page_survey)
    assert "sehr viele Antworten" in refused.text
    assert Response.objects.count() == 2
