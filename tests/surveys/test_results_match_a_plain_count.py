"""The results counted by the database equal a plain count in Python over the same seeded random answers,
unfiltered and with each filter, on SQLite and on PostgreSQL."""

import random
from collections import Counter, defaultdict
from statistics import mean

import pytest
from django.contrib.auth.models import AnonymousUser

from surveys import selectors, services
from surveys.models import Participant, SurveyPage
from surveys.questions import OTHER

from .conftest import ids

pytestmark = pytest.mark.both_databases

KINDS = ["Kita", "Schule", "Beratungsstelle"]
OFFERS = ["Sprachförderung", "Elterncafé", "Ferienbetreuung"]


def random_answers(survey, rng):
    """Every question type, some left out, "Sonstiges" with its text, matrices partly filled."""
    q = ids(survey)
    kind = rng.choice([*KINDS, OTHER])
    answers = {q[1]: {"choice": kind, "other": "Jugendclub" if kind == OTHER else ""}, q[4]: rng.randint(1, 5)}
    if kind == "Kita" and rng.random() < 0.8:
        answers[q[2]] = rng.randint(0, 120)
    if rng.random() < 0.85:
        chosen = rng.sample([*OFFERS, OTHER], rng.randint(1, 3))
        answers[q[3]] = {"choices": chosen, "other": "Hausaufgaben" if OTHER in chosen else ""}
    if rng.random() < 0.9:
        answers[q[5]] = {str(item): rng.randint(1, 5) for item in range(3) if rng.random() < 0.8}
    if rng.random() < 0.4:
        answers[q[6]] = f"Anliegen {rng.randint(1, 999)}"
    return answers


@pytest.fixture
def seeded(make_survey, make_body):
    """60 anonymous answers through invitations of three bodies (and a few without one), seeded."""
    bodies = [make_body("FG Kita"), make_body("FG Schule"), make_body("FG Prävention")]
    survey = make_survey(audience=SurveyPage.Audience.INVITED, bodies=bodies)
    rng = random.Random(4711)
    sent = []
    for number in range(60):
        body = bodies[number % 4] if number % 4 < 3 else None
        participant = Participant.objects.create(
            survey=survey, email=f"p{number}@example.org", body=body, nonce=f"{number:032d}"
        )
        answers = random_answers(survey, rng)
        services.submit(AnonymousUser(), survey, answers, participant=participant)
        # An empty matrix is no answer.
        sent.append((body, {question: value for question, value in answers.items() if value != {}}))
    return survey, sent, bodies


def plain_count(survey, sent):
    """The numbers of the results page, counted one answer at a time."""
    q = ids(survey)
    answered = Counter(question for _, answers in sent for question in answers)
    kinds = Counter(answers[q[1]]["choice"] for _, answers in sent)
    offers = Counter(choice for _, answers in sent if q[3] in answers for choice in answers[q[3]]["choices"])
    scale = [answers[q[4]] for _, answers in sent]
    numbers = [answers[q[2]] for _, answers in sent if q[2] in answers]
    items = defaultdict(list)
    for _, answers in sent:
        for item, value in answers.get(q[5], {}).items():
            items[item].append(value)
    return {
        "total": len(sent),
        "answered": {number: answered[q[number]] for number in range(1, 8)},
        "kinds": [kinds[label] for label in [*KINDS, OTHER]],
        "offers": [offers[label] for label in [*OFFERS, OTHER]],
        "scale_average": round(mean(scale), 2),
        "scale": [scale.count(n) for n in range(1, 6)],
        "number": (round(mean(numbers), 2), min(numbers), max(numbers)) if numbers else (None, None, None),
        "matrix": [(len(items[str(i)]), round(mean(items[str(i)]), 2) if items[str(i)] else None) for i in range(3)],
        "matrix_distribution": [[items[str(i)].count(n) for n in range(1, 6)] for i in range(3)],
    }


def as_counted(result):
    questions = result.questions
    single, number, multiple, scale, matrix = questions[0], questions[1], questions[2], questions[3], questions[4]
    return {
        "total": result.total,
        "answered": {question.question.number: question.answered for question in questions},
        "kinds": [share.count for share in single.options],
        "offers": [share.count for share in multiple.options],
        "scale_average": scale.average,
        "scale": [share.count for share in scale.distribution],
        "number": (number.average, number.minimum, number.maximum),
        "matrix": [(item.answered, item.average) for item in matrix.items],
        "matrix_distribution": [[share.count for share in item.distribution] for item in matrix.items],
    }


def test_the_results_equal_a_plain_count_of_the_answers(seeded):
    survey, sent, _bodies = seeded

    assert as_counted(selectors.results(survey)) == plain_count(survey, sent)


def test_the_results_of_one_body_equal_a_plain_count_of_its_answers(seeded):
    survey, sent, bodies = seeded

    for body in bodies:
        mine = [(b, answers) for b, answers in sent if b == body]
        assert as_counted(selectors.results(survey, body_id=body.pk)) == plain_count(survey, mine)


@pytest.mark.parametrize("number, value", [(1, "Kita"), (1, "Schule"), (4, "3"), (3, "Elterncafé")])
def test_the_results_of_those_who_gave_an_answer_equal_a_plain_count_of_theirs(seeded, number, value):
    survey, sent, _bodies = seeded
    q = ids(survey)

    def gave(answers):
        given = answers.get(q[number])
        if given is None:
            return False
        if isinstance(given, int):
            return str(given) == value
        return value in given.get("choices", [given.get("choice")])

    chosen = [(body, answers) for body, answers in sent if gave(answers)]
    assert chosen, "the seed gives each filter some answers"
    assert as_counted(selectors.results(survey, condition=(q[number], value))) == plain_count(survey, chosen)


def test_the_newest_free_texts_are_shown_and_each_filter_applies_to_them(seeded):
    survey, sent, bodies = seeded
    q = ids(survey)

    texts = [result.texts for result in selectors.results(survey).questions if result.question.id == q[6]][0]
    of_body = [r.texts for r in selectors.results(survey, body_id=bodies[0].pk).questions if r.question.id == q[6]][0]

    assert sorted(answer.text for answer in texts) == sorted(a[q[6]] for _, a in sent if q[6] in a)
    assert sorted(answer.text for answer in of_body) == sorted(a[q[6]] for b, a in sent if q[6] in a and b == bodies[0])
    assert [answer.pk for answer in texts] == sorted((answer.pk for answer in texts), reverse=True)


def test_a_saved_draft_counts_only_once_it_is_sent(make_user, make_survey):
    person = make_user("beratung@example.org")
    survey = make_survey(audience=SurveyPage.Audience.MEMBERS, anonymity=SurveyPage.Anonymity.PERSONAL)
    q = ids(survey)
    answers = {q[1]: {"choice": "Schule", "other": ""}, q[4]: 2, q[6]: "Mehr Schulsozialarbeit"}

    services.save_draft(person, survey, answers, consent=True)
    draft = selectors.results(survey)
    services.submit(person, survey, answers, consent=True)
    sent = selectors.results(survey)

    assert draft.total == 0 and draft.questions[0].answered == 0 and draft.questions[5].texts == []
    assert sent.total == 1 and [s.count for s in sent.questions[0].options] == [0, 1, 0, 0]
    assert sent.questions[3].average == 2 and [a.text for a in sent.questions[5].texts] == ["Mehr Schulsozialarbeit"]
