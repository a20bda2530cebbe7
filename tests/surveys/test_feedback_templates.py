"""Feedback templates: the default ones come with the platform, a template has 3 to 5 questions, and the
Redaktion maintains them in the Wagtail admin (professionals do not)."""

import pytest
from django.core.exceptions import ValidationError

from surveys.feedback_templates import DEFAULTS
from surveys.models import FeedbackTemplate


def test_the_defaults_for_meetings_and_the_conference_come_with_the_platform(db):
    meeting = FeedbackTemplate.objects.get(kind="meeting", is_default=True)
    conference = FeedbackTemplate.objects.get(kind="conference", is_default=True)

    assert [block.value["question"] for block in meeting.questions] == [
        "Wie zufrieden sind Sie insgesamt mit der Sitzung?",
        "Was war hilfreich?",
        "Was sollen wir verbessern?",
        "Welches Thema wünschen Sie sich für das nächste Mal?",
    ]
    assert conference.question_count() == len(DEFAULTS["conference"]["questions"]) == 5
    meeting.full_clean()


@pytest.mark.parametrize("count", [2, 6])
def test_a_template_with_too_few_or_too_many_questions_is_refused(db, count):
    questions = [{"type": "short_text", "value": {"question": f"Frage {n}", "required": False}} for n in range(count)]
    template = FeedbackTemplate(name="Zu kurz oder zu lang", kind="meeting", questions=questions)

    with pytest.raises(ValidationError) as refusal:
        template.full_clean()

    assert f"Ein Feedback hat 3 bis 5 Fragen, diese Vorlage hat {count}." in str(refusal.value)


def test_the_redaktion_edits_templates_in_the_admin_and_a_professional_may_not(logged_in, editor, professional):
    template = FeedbackTemplate.objects.get(kind="meeting", is_default=True)
    url = f"/admin/snippets/surveys/feedbacktemplate/edit/{template.pk}/"

    assert logged_in(editor).get(url).status_code == 200
    assert logged_in(professional).get(url).status_code in (302, 403)
