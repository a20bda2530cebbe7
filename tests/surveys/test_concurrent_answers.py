"""Answers sent at the same moment are all stored, each once, on SQLite and on PostgreSQL: every invited
person's answer arrives, and further answers through an invitation that already answered are refused.
(bench/surveys.py does the same with 200 people and 20 repeats; here fewer threads keep the test fast.)"""

import random
import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys import selectors, tokens
from surveys.models import Answer, Participant, Response, SurveyPage

from .conftest import BEDARFSABFRAGE, full_answers, ids

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True)]

RESPONDENTS = 12
REPEATS = 4


# The Bedarfsabfrage on one page, so that one POST sends a whole answer.
ONE_PAGE = [block for block in BEDARFSABFRAGE if block[0] != "section"]


def form_data(survey, answers):
    q = ids(survey)
    return {
        "page": "0",
        "action": "submit",
        f"q-{q[1]}": answers[q[1]]["choice"],
        f"q-{q[3]}": answers[q[3]]["choices"],
        f"q-{q[4]}": str(answers[q[4]]),
        **{f"q-{q[5]}-{item}": str(value) for item, value in answers[q[5]].items()},
        f"q-{q[6]}": answers[q[6]],
    }


@pytest.fixture
def database_for_threads(tmp_path):
    """On SQLite, a copy of the test database in a file, as the platform runs it (WAL, busy timeout): the
    in-memory test database shares one cache between connections and refuses a second writer at once
    ("table is locked") where a file database lets it wait for the lock. PostgreSQL runs as it is."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "answers.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    original, name = connections["default"], connection.settings_dict["NAME"]
    # Every connection of the handler reads this one settings dict: the threads' new connections open the file.
    original.settings_dict["NAME"] = str(path)
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = original
        original.settings_dict["NAME"] = name


def test_answers_sent_at_the_same_moment_are_all_stored_once(database_for_threads, make_survey, make_body):
    body = make_body("FG Kita")
    survey = make_survey(audience=SurveyPage.Audience.INVITED, bodies=[body], questions=ONE_PAGE)
    rng = random.Random(200)
    participants = [
        Participant.objects.create(
            survey=survey, email=f"p{n}@example.org", body=body, nonce=tokens.new_nonce(), invited_at=timezone.now()
        )
        for n in range(RESPONDENTS + 1)
    ]
    jobs = [(tokens.make_token(p), full_answers(survey, rng)) for p in participants]
    twice_token, twice_answers = jobs.pop()
    first = Client().post(reverse("surveys:invitation", args=[twice_token]), form_data(survey, twice_answers))
    assert first.status_code == 302
    jobs += [(twice_token, full_answers(survey, rng))] * REPEATS
    barrier = threading.Barrier(len(jobs))
    statuses, lock = [], threading.Lock()

    def send(token, answers):
        try:
            browser = Client()
            barrier.wait(timeout=60)
            response = browser.post(reverse("surveys:invitation", args=[token]), form_data(survey, answers))
            with lock:
                statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(statuses) == [302] * RESPONDENTS + [409] * REPEATS
    assert Response.objects.filter(survey=survey, submitted_on__isnull=False).count() == RESPONDENTS + 1
    assert Participant.objects.filter(survey=survey, answered=True).count() == RESPONDENTS + 1
    # Each response has its answers, and the results count every one of them.
    assert Answer.objects.filter(survey=survey, position=0).values("response").distinct().count() == RESPONDENTS + 1
    results = selectors.results(survey)
    assert results.total == RESPONDENTS + 1
    assert results.questions[3].answered == RESPONDENTS + 1
