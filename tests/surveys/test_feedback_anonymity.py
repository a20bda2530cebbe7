"""An anonymous feedback survey (the default templates) writes no row that identifies a respondent; a template
set to personal keeps the person with the answer, after consent."""

import re

from django.utils import timezone

from meetings.models import Attendance
from surveys import feedback_requests, spam
from surveys.models import Answer, FeedbackTemplate, Participant, Response, SurveyPage

from .conftest import SITE_URL, ids, text_of

LINK = re.compile(re.escape(SITE_URL) + r"(/umfragen/einladung/[^\s]+/)")


def _answer(client, sink, person, survey, **extra):
    q = ids(survey)
    link = LINK.search(text_of(sink.to(person.email)[0])).group(1)
    return client.post(
        link,
        {
            "page": 0,
            "action": "submit",
            "started": spam.started_token(),
            f"q-{q[1]}": "5",
            f"q-{q[3]}": "Mehr Zeit",
            **extra,
        },
        REMOTE_ADDR="198.51.100.77",
    )


def test_anonymous_feedback_rows_name_nobody(
    client, make_past_meeting, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = make_past_meeting()
    Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        request, _sent = feedback_requests.request_meeting_feedback(moderator, meeting)
    survey = request.survey
    assert survey.is_anonymous

    assert _answer(client, smtp_sink, member, survey).status_code == 302

    response = Response.objects.get(survey=survey)
    assert (response.user_id, response.participant_id) == (None, None)
    assert response.submitted_on == timezone.localdate() and response.consent_given_at is None
    values = [str(v) for v in Response.objects.filter(pk=response.pk).values().get().values()]
    values += [str(v) for row in Answer.objects.filter(response=response).values() for v in row.values()]
    participant = Participant.objects.get(survey=survey)
    for forbidden in (member.email, member.display_name, "198.51.100.77", participant.nonce, str(participant.pk)):
        assert not any(value == forbidden or forbidden in value for value in values if len(forbidden) > 3)
    assert participant.user_id is None and participant.answered


def test_a_personal_template_keeps_the_person_with_consent(
    client, make_past_meeting, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    template = feedback_requests.templates_for("meeting")[0]
    FeedbackTemplate.objects.filter(pk=template.pk).update(anonymity=SurveyPage.Anonymity.PERSONAL)
    template.refresh_from_db()
    meeting = make_past_meeting()
    Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        request, _sent = feedback_requests.request_meeting_feedback(moderator, meeting, template)
    assert "Das Feedback ist persönlich" in text_of(smtp_sink.to(member.email)[0])

    assert _answer(client, smtp_sink, member, request.survey, consent="on").status_code == 302

    response = Response.objects.get(survey=request.survey)
    assert response.user == member and response.consent_version
