"""The demo surveys from data/surveys.yaml: a finished citizens' survey with published results and an open
Bedarfsabfrage for two focus groups. Answers are generated from a fixed seed and written with the models
(the services would refuse answers to a closed survey); a survey that exists is left alone."""

import random
from datetime import timedelta

from django.utils import formats, timezone
from wagtail.models import PageViewRestriction

from cms.models import HomePage
from meetings.models import Attendance, Meeting
from network.models import NetworkBody, User
from surveys import tokens
from surveys.feedback_templates import ensure_default_template
from surveys.models import (
    Answer,
    AutomaticFeedback,
    FeedbackRequest,
    FeedbackTemplate,
    Participant,
    Response,
    SurveyIndexPage,
    SurveyPage,
)
from surveys.questions import OTHER, all_questions, is_visible

from .data import load, moment
from .pages import child_page


def _stream(questions):
    blocks = []
    for item in questions:
        item = dict(item)
        kind = item.pop("type")
        if kind == "section":
            blocks.append((kind, {"title": item["title"], "intro": item.get("intro", "")}))
        else:
            blocks.append(
                (kind, {"help_text": "", "required": False, "key": "", "show_if_key": "", "show_if_answer": "", **item})
            )
    return blocks


def _answers(questions, rng, texts):
    answers = {}
    for question in questions:
        if question.kind == "single_choice":
            answers[question.id] = {"choice": rng.choice(question.options), "other": ""}
        elif question.kind == "multiple_choice" and rng.random() < 0.85:
            chosen = rng.sample(question.options, rng.randint(1, 2))
            answers[question.id] = {"choices": [o for o in question.options if o in chosen], "other": ""}
        elif question.kind == "scale":
            answers[question.id] = rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 4, 3, 1])[0]
        elif question.kind == "number" and is_visible(question, answers, questions) and rng.random() < 0.8:
            answers[question.id] = rng.randint(2, 40)
        elif question.kind == "matrix" and rng.random() < 0.9:
            answers[question.id] = {str(i): rng.randint(1, 5) for i in range(len(question.items))}
        elif question.kind in ("short_text", "long_text") and texts:
            answers[question.id] = texts.pop(0)
    return answers


def _store(survey, count, seed, texts=(), bodies=()):
    questions = all_questions(survey.sections())
    by_id = {q.id: q for q in questions}
    rng = random.Random(seed)
    texts = list(texts)
    for number in range(count):
        response = Response.objects.create(
            survey=survey,
            body=bodies[number % len(bodies)] if bodies else None,
            submitted_on=(min(timezone.localdate(), survey.closes_at.date()) - timedelta(days=number % 9)),
        )
        # The first responses carry the free texts of the data file, one each.
        answers = _answers(questions, rng, texts)
        Answer.objects.bulk_create(
            row for question_id, value in answers.items() for row in Answer.rows_of(response, by_id[question_id], value)
        )
    return questions


def seed_surveys():
    config = load("surveys")
    home = HomePage.objects.first()
    owner = User.objects.get(email=config["owner"])
    index = child_page(
        home, SurveyIndexPage, config["index"]["slug"], title=config["index"]["title"], intro=config["index"]["intro"]
    )
    finished, still_open = config["finished"], config["open"]
    if not SurveyPage.objects.filter(slug=finished["slug"]).exists():
        survey = child_page(
            index,
            SurveyPage,
            finished["slug"],
            title=finished["title"],
            intro=finished["intro"],
            audience=SurveyPage.Audience.PUBLIC,
            anonymity=SurveyPage.Anonymity.ANONYMOUS,
            opens_at=moment(finished["opens"]),
            closes_at=moment(finished["closes"], hour=18),
            thank_you=finished["thank_you"],
            questions=_stream(finished["questions"]),
            owner=owner,
        )
        questions = _store(survey, finished["responses"], seed=2026, texts=finished["texts"])
        texts = Answer.objects.filter(survey=survey).exclude(text="").exclude(choice=OTHER).order_by("pk")
        Answer.objects.filter(pk__in=list(texts.values_list("pk", flat=True)[: finished["approved"]])).update(
            text_status=Answer.TextStatus.APPROVED
        )
        SurveyPage.objects.filter(pk=survey.pk).update(
            results_published=True, published_questions=[q.id for q in questions]
        )
    if not SurveyPage.objects.filter(slug=still_open["slug"]).exists():
        bodies = list(NetworkBody.objects.filter(slug__in=still_open["bodies"]).order_by("name"))
        survey = child_page(
            index,
            SurveyPage,
            still_open["slug"],
            title=still_open["title"],
            intro=still_open["intro"],
            audience=SurveyPage.Audience.BODIES,
            anonymity=SurveyPage.Anonymity.ANONYMOUS,
            opens_at=moment(still_open["opens"]),
            closes_at=moment(still_open["closes"], hour=18),
            questions=_stream(still_open["questions"]),
            owner=owner,
        )
        survey.bodies.set(bodies)
        survey.save_revision().publish()
        _store(survey, still_open["responses"], seed=2027, bodies=bodies)


def seed_feedback():
    """A past meeting's feedback, made as `surveys.feedback_requests` makes one but dated after that meeting, with a
    few invented answers; and automatic feedback for one focus group."""
    config = load("surveys")["feedback"]
    body = NetworkBody.objects.get(slug=config["body"])
    meeting = Meeting.objects.filter(body=body, title=config["meeting"], series__isnull=True, end__lt=timezone.now())
    meeting = meeting.order_by("-start").first()
    for slug in load("surveys").get("automatic_feedback", ()):
        AutomaticFeedback.objects.get_or_create(body=NetworkBody.objects.get(slug=slug))
    if meeting is None or FeedbackRequest.objects.filter(meeting=meeting).exists():
        return
    template = ensure_default_template(FeedbackTemplate, FeedbackTemplate.Kind.MEETING)
    organiser = meeting.created_by
    asked_at = meeting.end + timedelta(hours=2)
    survey = child_page(
        SurveyIndexPage.objects.get(),
        SurveyPage,
        config["slug"],
        title=f"Feedback: {meeting.title} am {formats.date_format(timezone.localtime(meeting.start), 'DATE_FORMAT')}",
        intro=template.intro + config["note"],
        questions=list(template.questions.raw_data),
        audience=SurveyPage.Audience.INVITED,
        anonymity=template.anonymity,
        opens_at=asked_at,
        closes_at=asked_at + timedelta(days=template.open_days),
        thank_you=template.thank_you,
        owner=organiser,
    )
    PageViewRestriction.objects.get_or_create(page=survey, restriction_type=PageViewRestriction.LOGIN)
    present = Attendance.objects.filter(meeting=meeting, present=True).select_related("user").order_by("user__email")
    answers = config["answers"]
    for number, attendance in enumerate(present):
        Participant.objects.create(
            survey=survey,
            email=attendance.user.email,
            body=body,
            nonce=tokens.new_nonce(),
            invited_at=asked_at,
            answered=number < len(answers),
        )
    by_number = {q.number: q for q in all_questions(survey.sections())}
    for number, answer in enumerate(answers[: present.count()]):
        values = {1: answer["satisfaction"], 2: answer["helpful"], 3: answer["improve"], 4: answer["topic"]}
        response = Response.objects.create(
            survey=survey, body=body, submitted_on=(asked_at + timedelta(days=1 + number % 3)).date()
        )
        Answer.objects.bulk_create(
            row
            for position, value in values.items()
            if value
            for row in Answer.rows_of(response, by_number[position], value)
        )
    FeedbackRequest.objects.create(
        survey=survey,
        template=template,
        meeting=meeting,
        requested_by=organiser,
        requested_at=asked_at,
        invitations_done_at=asked_at,
    )
