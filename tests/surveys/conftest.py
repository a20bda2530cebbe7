"""Surveys for the tests: a Bedarfsabfrage with every question type, built as editors would in Wagtail."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Meeting
from surveys.models import SurveyIndexPage, SurveyPage
from surveys.questions import all_questions

SITE_URL = "https://sozialraum.example.org"


def question(kind, text, **value):
    value = {
        "question": text,
        "help_text": "",
        "required": False,
        "key": "",
        "show_if_key": "",
        "show_if_answer": "",
        **value,
    }
    return (kind, value)


BEDARFSABFRAGE = [
    ("section", {"title": "Ihre Einrichtung", "intro": ""}),
    question(
        "single_choice",
        "Welche Art von Einrichtung vertreten Sie?",
        required=True,
        key="art",
        options=["Kita", "Schule", "Beratungsstelle"],
        allow_other=True,
    ),
    question(
        "number", "Wie viele Kinder betreuen Sie?", min_value=0, max_value=500, show_if_key="art", show_if_answer="Kita"
    ),
    question(
        "multiple_choice",
        "Welche Angebote fehlen im Quartier?",
        options=["Sprachförderung", "Elterncafé", "Ferienbetreuung"],
        allow_other=True,
    ),
    ("section", {"title": "Einschätzung", "intro": "Bitte schätzen Sie ein."}),
    question(
        "scale",
        "Wie gut ist die Zusammenarbeit im Netzwerk?",
        required=True,
        low_label="schlecht",
        high_label="sehr gut",
    ),
    question(
        "matrix",
        "Wie dringend ist der Bedarf?",
        items=["Personal", "Räume", "Fortbildung"],
        low_label="nicht dringend",
        high_label="sehr dringend",
    ),
    question("short_text", "Ihr wichtigstes Anliegen in einem Satz"),
    question("long_text", "Was möchten Sie der Koordination sonst mitteilen?"),
]


@pytest.fixture(autouse=True)
def survey_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.SURVEYS_MIN_FILL_SECONDS = 0
    return settings


@pytest.fixture
def survey_index(page_tree):
    return page_tree.home.add_child(instance=SurveyIndexPage(title="Umfragen", slug="umfragen"))


@pytest.fixture
def make_survey(survey_index, coordinator):
    counter = iter(range(1, 10_000))

    def make(
        *,
        audience=SurveyPage.Audience.PUBLIC,
        anonymity=SurveyPage.Anonymity.ANONYMOUS,
        bodies=(),
        questions=None,
        owner=None,
        opens=-1,
        closes=14,
        **fields,
    ):
        number = next(counter)
        now = timezone.now()
        survey = SurveyPage(
            title=fields.pop("title", f"Bedarfsabfrage {number}"),
            slug=f"umfrage-{number}",
            audience=audience,
            anonymity=anonymity,
            opens_at=now + timedelta(days=opens),
            closes_at=now + timedelta(days=closes),
            questions=BEDARFSABFRAGE if questions is None else questions,
            owner=owner or coordinator,
            **fields,
        )
        survey_index.add_child(instance=survey)
        survey.bodies.set(bodies)
        survey.save_revision().publish()
        survey.refresh_from_db()
        return survey

    return make


def ids(survey):
    """Question ids by their position (1-based), as the tests refer to them."""
    return {q.number: q.id for q in all_questions(survey.sections())}


def full_answers(survey, rng=None):
    """A complete valid answer, chosen at random with a seeded generator."""
    rng = rng or random.Random(7)
    q = ids(survey)
    return {
        q[1]: {"choice": rng.choice(["Kita", "Schule", "Beratungsstelle"]), "other": ""},
        q[3]: {"choices": sorted(rng.sample(["Sprachförderung", "Elterncafé", "Ferienbetreuung"], 2)), "other": ""},
        q[4]: rng.randint(1, 5),
        q[5]: {"0": rng.randint(1, 5), "1": rng.randint(1, 5), "2": rng.randint(1, 5)},
        q[6]: "Mehr Fachkräfte für Sprachförderung.",
    }


@pytest.fixture
def make_past_meeting(closed_body, survey_index):
    """A meeting that ended `hours_ago` (the meetings service schedules nothing in the past), and the survey
    index its feedback survey goes below."""

    def make(*, body=None, hours_ago=26, title="Sitzung der Lenkungsrunde", **fields):
        end = timezone.now() - timedelta(hours=hours_ago)
        return Meeting.objects.create(
            body=body or closed_body,
            title=title,
            start=end - timedelta(hours=2),
            end=end,
            place="Rathaus Teltow, Raum 2.14",
            **fields,
        )

    return make


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()
