"""The surveys' part of a person's data: invitations and the answers of personal surveys.

Answers to anonymous surveys name nobody and are not part of it (they cannot be found by person).
Deleting the account deletes the person's invitations and personal answers: the rows point at the
account or the address and go with it.
"""

from django.db.models import Q

from core.privacy import register_part

from .models import Participant, Response
from .questions import all_questions, value_from_rows


def _participations(subject):
    return Participant.objects.filter(Q(user=subject.user) | Q(email__in=subject.email_addresses))


def export_personal_data(subject):
    responses = []
    for response in (
        Response.objects.filter(Q(user=subject.user) | Q(participant__in=_participations(subject)))
        .select_related("survey")
        .prefetch_related("answers")
    ):
        questions = all_questions(response.survey.sections())
        rows = list(response.answers.all())
        responses.append(
            {
                "survey": response.survey.title,
                "submitted_on": response.submitted_on,
                "consent_text": response.consent_text,
                "consent_version": response.consent_version,
                "consent_given_at": response.consent_given_at,
                "answers": {
                    q.text: value_from_rows(q, [row for row in rows if row.question == q.id]) for q in questions
                },
            }
        )
    return {
        "invitations": [
            {"survey": p.survey.title, "email": p.email, "answered": p.answered, "invited_at": p.invited_at}
            for p in _participations(subject).select_related("survey")
        ],
        "personal_answers": responses,
    }


def erase(subject):
    _participations(subject).delete()
    Response.objects.filter(user=subject.user).delete()


register_part("surveys", export=export_personal_data, erase=erase)
