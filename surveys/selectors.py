"""Reading results: counts, percentages, averages and distributions per question, in a few grouped queries.

`results()` serves the owners' page (all questions, all free texts, filters) and the public page
(chosen questions, approved texts only, questions with fewer than `SMALL_GROUP` answers suppressed).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from network.models import NetworkBody

from .models import Answer, Response, SurveyPage
from .questions import OTHER, Question, all_questions

# A published breakdown over fewer answers could point at a person.
SMALL_GROUP = 5
TEXTS_SHOWN = 30


@dataclass
class Share:
    label: str
    count: int
    percent: float


@dataclass
class ItemResult:
    label: str
    answered: int
    average: float | None
    distribution: list[Share]


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[Share] = field(default_factory=list)
    average: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    distribution: list[Share] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)
    texts: list[Answer] = field(default_factory=list)
    suppressed: bool = False


@dataclass
class SurveyResults:
    total: int
    questions: list[QuestionResult]


def _percent(count: int, of: int) -> float:
    return round(100 * count / of, 1) if of else 0.0


def _gave(survey: SurveyPage, condition: tuple[str, str]) -> QuerySet[Answer]:
    """The answer rows that gave `value` to the question (a choice, or the number it spells)."""
    question_id, value = condition
    match = Q(choice=value)
    if value.lstrip("-").isdigit() and len(value) < 10:
        match |= Q(number=int(value))
    return Answer.objects.filter(survey=survey, question=question_id, submitted=True).filter(match)


def submitted_responses(
    survey: SurveyPage, *, body_id: int | None = None, condition: tuple[str, str] | None = None
) -> QuerySet[Response]:
    responses = Response.objects.filter(survey=survey, submitted_on__isnull=False)
    if body_id is not None:
        responses = responses.filter(body_id=body_id)
    if condition is not None:
        responses = responses.filter(pk__in=_gave(survey, condition).values("response_id"))
    return responses


def submitted_answers(
    survey: SurveyPage, *, body_id: int | None = None, condition: tuple[str, str] | None = None, newest: bool = False
) -> QuerySet[Answer]:
    """The answer rows of `submitted_responses(…)`, filtered on the answers' own copy of the response's state
    (no join: the grouped counts read only the results index).

    `newest`: for the newest few rows, where asking per row whether its response gave the answer stops
    early, whereas a list of those responses would be read whole first."""
    answers = Answer.objects.filter(survey=survey, submitted=True)
    if body_id is not None:
        answers = answers.filter(body_id=body_id)
    if condition is not None and newest:
        answers = answers.filter(Exists(_gave(survey, condition).filter(response_id=OuterRef("response_id"))))
    elif condition is not None:
        answers = answers.filter(response_id__in=_gave(survey, condition).values("response_id"))
    return answers


def _distribution(counts: dict[int, int], answered: int) -> list[Share]:
    return [Share(str(n), counts.get(n, 0), _percent(counts.get(n, 0), answered)) for n in range(1, 6)]


def _average(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    return round(sum(n * c for n, c in counts.items()) / total, 2) if total else None


def results(
    survey: SurveyPage,
    *,
    body_id: int | None = None,
    condition: tuple[str, str] | None = None,
    question_ids: list[str] | None = None,
    public: bool = False,
) -> SurveyResults:
    questions = [q for q in all_questions(survey.sections()) if question_ids is None or q.id in question_ids]
    total = submitted_responses(survey, body_id=body_id, condition=condition).count()
    answers = submitted_answers(survey, body_id=body_id, condition=condition).filter(
        question__in=[q.id for q in questions]
    )
    # One grouped query for every count, average and distribution: the rows at position 0 are the people.
    answered: dict[str, int] = defaultdict(int)
    groups: dict[str, list[tuple[str, str, int | None, int]]] = defaultdict(list)
    for question_id, item, choice, number, count, people in (
        answers.values_list("question", "item", "choice", "number")
        .annotate(n=Count("*"), people=Count("position", filter=Q(position=0)))
        .order_by()
    ):
        answered[question_id] += people
        groups[question_id].append((item, choice, number, count))
    texts: dict[str, list[Answer]] = defaultdict(list)
    for question in questions:
        if not question.has_free_text or (public and answered[question.id] < SMALL_GROUP):
            continue
        text_rows = submitted_answers(survey, body_id=body_id, condition=condition, newest=True)
        text_rows = text_rows.filter(question=question.id).exclude(text="")
        if public:
            text_rows = text_rows.filter(text_status=Answer.TextStatus.APPROVED)
        # The newest few per question; all of them are on the moderation page (by page) and in the exports.
        texts[question.id] = list(text_rows.order_by("-pk").only("pk", "question", "text", "text_status")[:TEXTS_SHOWN])
    out = []
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.id, 0), texts=texts[question.id])
        if public and result.answered < SMALL_GROUP:
            out.append(QuestionResult(question=question, answered=result.answered, suppressed=True))
            continue
        rows = groups[question.id]
        if question.kind in ("single_choice", "multiple_choice"):
            by_choice: dict[str, int] = defaultdict(int)
            for _item, choice, _number, count in rows:
                by_choice[choice] += count
            labels = [*question.options, *([OTHER] if question.allow_other else [])]
            result.options = [
                Share(
                    "Sonstiges" if label == OTHER else label,
                    by_choice[label],
                    _percent(by_choice[label], result.answered),
                )
                for label in labels
            ]
        elif question.kind in ("scale", "number"):
            counts: dict[int, int] = defaultdict(int)
            for _item, _choice, number, count in rows:
                if number is not None:
                    counts[number] += count
            result.average = _average(counts)
            if counts:
                result.minimum, result.maximum = min(counts), max(counts)
            if question.kind == "scale":
                result.distribution = _distribution(counts, result.answered)
        elif question.kind == "matrix":
            per_item: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
            for item, _choice, number, count in rows:
                if number is not None:
                    per_item[item][number] += count
            for index, label in enumerate(question.items):
                item_counts = per_item[str(index)]
                n = sum(item_counts.values())
                result.items.append(ItemResult(label, n, _average(item_counts), _distribution(item_counts, n)))
        out.append(result)
    return SurveyResults(total=total, questions=out)


def bodies_of_responses(survey: SurveyPage) -> QuerySet[NetworkBody]:
    ids = Response.objects.filter(survey=survey, submitted_on__isnull=False).values("body_id")
    return NetworkBody.objects.filter(Q(pk__in=ids) | Q(surveys=survey)).distinct().order_by("name")


def invitation_counts(survey: SurveyPage) -> dict[str, Any]:
    invited = survey.participants.filter(invited_at__isnull=False)
    return {"invited": invited.count(), "answered": invited.filter(answered=True).count()}


def pending_texts(survey: SurveyPage) -> QuerySet[Answer]:
    return Answer.objects.filter(survey=survey, submitted=True).exclude(text="").order_by("pk")


def published_surveys() -> QuerySet[SurveyPage]:
    return SurveyPage.objects.live().public().filter(results_published=True).order_by("-closes_at")
