"""Operations on surveys: answering (with saving and editing), invitations and reminders, moderation, publishing.

Every answer is checked here against the survey's questions (questions.clean_value), whatever sent it:
a question the survey does not have, a choice it does not offer or a number out of range is refused
with a German message and nothing is stored.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import absolute_url, queue_templated_mail
from core.paths import is_site_path
from core.permissions import Viewer
from network import access
from network.models import Membership, NetworkBody, User

from . import permissions, tokens
from .models import Answer, Participant, PlatformFeedback, Response, SurveyPage
from .questions import all_questions, clean_value, is_answered, is_visible, value_from_rows


class AlreadyAnswered(ValidationError):
    """An anonymous survey takes one answer per invitation or person; the first one stays."""


# --- who is answering ------------------------------------------------------------------------


def participant_from_token(token: str) -> Participant:
    data = tokens.read_token(token)
    participant = Participant.objects.select_related("survey", "body").filter(pk=data["p"]).first()
    if participant is None or not participant.nonce or participant.nonce != data["n"]:
        raise tokens.BadLink()
    return participant


def participant_for_user(user: Viewer, survey: SurveyPage) -> Participant | None:
    """Logged-in people of a members' or bodies' survey get a row that says only whether they answered.

    It is made when they open the survey, not when they send it, so nothing about the moment of
    answering is kept beside the person."""
    if survey.audience not in (SurveyPage.Audience.MEMBERS, SurveyPage.Audience.BODIES) or not user.is_authenticated:
        return None
    participant, _created = Participant.objects.get_or_create(
        survey=survey, user=user, defaults={"body": _body_of(user, survey)}
    )
    return participant


def _body_of(user: Viewer, survey: SurveyPage) -> NetworkBody | None:
    return NetworkBody.objects.filter(surveys=survey, pk__in=access.member_body_ids(user)).order_by("name").first()


def invitation_url(participant: Participant) -> str:
    return absolute_url(reverse("surveys:invitation", args=[tokens.make_token(participant)]))


# --- reading what was answered ------------------------------------------------------------------


def stored_response(survey: SurveyPage, user: Viewer, participant: Participant | None) -> Response | None:
    """The saved or sent response of a personal survey (by invitation, else by account)."""
    if survey.is_anonymous:
        return None
    if participant is not None:
        return Response.objects.filter(survey=survey, participant=participant).first()
    if user.is_authenticated:
        return Response.objects.filter(survey=survey, user=user).first()
    return None


def stored_answers(survey: SurveyPage, response: Response | None) -> dict[str, Any]:
    if response is None:
        return {}
    rows = list(response.answers.all())
    answers = {}
    for question in all_questions(survey.sections()):
        value = value_from_rows(question, [row for row in rows if row.question == question.id])
        if value is not None:
            answers[question.id] = value
    return answers


def has_answered(survey: SurveyPage, participant: Participant | None) -> bool:
    return participant is not None and participant.answered and survey.is_anonymous


# --- answering -----------------------------------------------------------------------------


def _validated(survey: SurveyPage, answers: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    questions = all_questions(survey.sections())
    by_id = {question.id: question for question in questions}
    unknown = set(answers) - set(by_id)
    if unknown:
        raise ValidationError(_("Diese Frage gibt es in der Umfrage nicht. Bitte laden Sie die Umfrage neu."))
    cleaned = {}
    for question_id, value in answers.items():
        try:
            cleaned[question_id] = clean_value(by_id[question_id], value)
        except ValidationError as error:
            raise ValidationError(
                _("Frage %(number)d: %(message)s")
                % {"number": by_id[question_id].number, "message": " ".join(error.messages)}
            ) from None
    visible = {q.id: q for q in questions if is_visible(q, cleaned, questions)}
    cleaned = {key: value for key, value in cleaned.items() if key in visible and value is not None}
    if complete:
        missing = [q.number for q in visible.values() if q.required and not is_answered(q, cleaned.get(q.id))]
        if missing:
            raise ValidationError(
                _("Bitte beantworten Sie noch die Pflichtfragen %(numbers)s.")
                % {"numbers": ", ".join(map(str, missing))}
            )
    return cleaned


def _write_answers(response: Response, survey: SurveyPage, answers: dict[str, Any]) -> None:
    by_id = {question.id: question for question in all_questions(survey.sections())}
    response.answers.all().delete()
    Answer.objects.bulk_create(
        row for question_id, value in answers.items() for row in Answer.rows_of(response, by_id[question_id], value)
    )


def _check_consent(survey: SurveyPage, consent: bool) -> None:
    if not survey.is_anonymous and not consent:
        raise ValidationError(_("Bitte willigen Sie ein, dass Ihre Antworten mit Ihrem Namen gespeichert werden."))


def _personal_response(survey: SurveyPage, user: Viewer, participant: Participant | None) -> Response:
    response = stored_response(survey, user, participant)
    if response is not None:
        return Response.objects.select_for_update().get(pk=response.pk)
    owner: User | None = None
    if participant is not None and participant.user_id:
        owner = participant.user
    elif isinstance(user, User):
        owner = user
    return Response.objects.create(
        survey=survey,
        participant=participant,
        user=owner,
        body=(participant.body if participant is not None else None)
        or (_body_of(user, survey) if user.is_authenticated else None),
    )


def _record_consent(response: Response, survey: SurveyPage) -> None:
    if response.consent_version != survey.consent_version:
        response.consent_text = survey.effective_consent_text
        response.consent_version = survey.consent_version
        response.consent_given_at = timezone.now()


def save_draft(
    user: Viewer, survey: SurveyPage, answers: dict[str, Any], *, participant: Participant | None = None, consent: bool
) -> Response:
    """Keep a personal survey half filled, to continue later (from the same link or account)."""
    permissions.check_answer(user, survey, participant)
    if survey.is_anonymous:
        raise ValidationError(
            _("Anonyme Umfragen können nicht zwischengespeichert werden: Sie würden Ihnen zugeordnet.")
        )
    cleaned = _validated(survey, answers, complete=False)
    _check_consent(survey, consent)
    if participant is None and not user.is_authenticated:
        raise ValidationError(_("Zum Zwischenspeichern melden Sie sich bitte an."))
    with transaction.atomic():
        response = _personal_response(survey, user, participant)
        _record_consent(response, survey)
        response.save()
        _write_answers(response, survey, cleaned)
    return response


def submit(
    user: Viewer,
    survey: SurveyPage,
    answers: dict[str, Any],
    *,
    participant: Participant | None = None,
    consent: bool = False,
) -> Response:
    """Store a complete answer. Anonymous: a new response without anything that identifies the person,
    and the invitation marked answered in the same transaction (a second answer is refused). Personal:
    the person's one response, replaced while the survey is open."""
    permissions.check_answer(user, survey, participant)
    if participant is None:
        participant = participant_for_user(user, survey)
    cleaned = _validated(survey, answers, complete=True)
    _check_consent(survey, consent)
    with transaction.atomic():
        if survey.is_anonymous:
            if participant is not None:
                # The conditional update is the lock: of two concurrent answers only one finds answered=False.
                if not Participant.objects.filter(pk=participant.pk, answered=False).update(answered=True):
                    raise AlreadyAnswered(
                        _(
                            "Über diese Einladung wurde bereits geantwortet. Eine anonyme Umfrage nimmt nur eine Antwort an."
                        )
                    )
            response = Response.objects.create(
                survey=survey,
                body=participant.body if participant is not None else None,
                submitted_on=timezone.localdate(),
            )
        else:
            response = _personal_response(survey, user, participant)
            _record_consent(response, survey)
            response.submitted_on = timezone.localdate()
            response.save()
            if response.participant_id:
                Participant.objects.filter(pk=response.participant_id).update(answered=True)
        _write_answers(response, survey, cleaned)
    return response


# --- invitations and reminders ----------------------------------------------------------------


def _mail(template: str, participant: Participant, survey: SurveyPage, extra: dict[str, Any] | None = None) -> None:
    queue_templated_mail(
        f"surveys/email/{template}",
        [participant.email],
        {
            "survey": survey,
            "link": invitation_url(participant),
            "anonymous": survey.is_anonymous,
            "closes_at": timezone.localtime(survey.closes_at),
            **(extra or {}),
        },
    )


Invitee = tuple[User | None, NetworkBody | None]


def invite(user: Viewer, survey: SurveyPage, emails: list[str] | None = None) -> int:
    """Invite every member of the survey's bodies and the given addresses, each address once: who is
    already invited gets no second mail (that is what reminders are for). Returns the number of new invitations."""
    permissions.check_invite(user, survey)
    wanted: dict[str, Invitee] = {}
    memberships = (
        Membership.objects.filter(body__surveys=survey, user__is_active=True, user__approval=User.Approval.APPROVED)
        .select_related("user", "body")
        .order_by("body__name", "user__email")
    )
    for membership in memberships:
        wanted.setdefault(membership.user.email.lower(), (membership.user, membership.body))
    for email in emails or []:
        wanted.setdefault(email.lower(), (User.objects.filter(email__iexact=email).first(), None))
    return invite_addresses(survey, wanted)


def invite_addresses(
    survey: SurveyPage, wanted: dict[str, Invitee], *, template: str = "invitation", extra: dict[str, Any] | None = None
) -> int:
    """The invitations themselves, for a caller that has checked the permission: one `Participant` per
    address (the unique constraint makes "once" hold against a second click or run too), then its mail."""
    now = timezone.now()
    already = set(Participant.objects.filter(survey=survey, email__in=list(wanted)).values_list("email", flat=True))
    created = 0
    for email, (person, body) in wanted.items():
        if email in already:
            continue
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    survey=survey,
                    email=email,
                    user=person if survey.anonymity == SurveyPage.Anonymity.PERSONAL else None,
                    body=body,
                    nonce=tokens.new_nonce(),
                    invited_at=now,
                )
        except IntegrityError:
            continue  # invited at the same moment by a second click: one mail is enough
        _mail(template, participant, survey, extra)
        created += 1
    return created


def remind(user: Viewer, survey: SurveyPage) -> int:
    """Mail the invited who have not answered yet (personal surveys: not sent; a saved draft does not count)."""
    permissions.check_invite(user, survey)
    now = timezone.now()
    waiting = list(
        Participant.objects.filter(survey=survey, invited_at__isnull=False, answered=False).exclude(email="")
    )
    for participant in waiting:
        _mail("reminder", participant, survey)
    Participant.objects.filter(pk__in=[p.pk for p in waiting]).update(reminded_at=now)
    return len(waiting)


# --- results: moderation and publishing ----------------------------------------------------------


def moderate_texts(user: Viewer, survey: SurveyPage, decisions: dict[int, str]) -> int:
    """Approve or reject free-text answers for publishing; only approved texts ever reach the public page."""
    permissions.check_manage_survey(user, survey)
    if set(decisions.values()) - set(Answer.TextStatus.values):
        raise ValidationError(_("Unbekannte Entscheidung."))
    changed = 0
    with transaction.atomic():
        for answer_id, status in decisions.items():
            changed += Answer.objects.filter(pk=answer_id, survey=survey).exclude(text="").update(text_status=status)
    return changed


def publish_results(user: Viewer, survey: SurveyPage, question_ids: list[str], published: bool) -> None:
    permissions.check_manage_survey(user, survey)
    known = [q.id for q in all_questions(survey.sections())]
    if set(question_ids) - set(known):
        raise ValidationError(_("Diese Frage gibt es in der Umfrage nicht."))
    if published and not question_ids:
        raise ValidationError(_("Bitte wählen Sie mindestens eine Frage zur Veröffentlichung."))
    SurveyPage.objects.filter(pk=survey.pk).update(
        results_published=published, published_questions=[q for q in known if q in question_ids]
    )
    survey.results_published, survey.published_questions = published, [q for q in known if q in question_ids]


# Feedback on the platform ---------------------------------------------------------------------


def send_platform_feedback(
    user: Viewer, *, kind: str, text: str, page: str = "", contact_email: str = ""
) -> PlatformFeedback:
    """Anyone may write (visitors too); the person is kept only when logged in, an address only when given."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Bitte schreiben Sie Ihre Rückmeldung.")})
    if kind not in PlatformFeedback.Kind.values:
        raise ValidationError({"kind": _("Bitte wählen Sie, worum es geht.")})
    # Only a path of this site: the form is reached with ?seite=… and that value comes from outside.
    page = page if is_site_path(page) else ""
    return PlatformFeedback.objects.create(
        kind=kind,
        text=text[:3000],
        page=page[:300],
        contact_email=contact_email.strip(),
        user=user if user.is_authenticated else None,
    )


def mark_feedback_handled(user: Viewer, feedback: PlatformFeedback, handled: bool = True) -> PlatformFeedback:
    permissions.check_read_feedback(user, feedback)
    feedback.handled_at = timezone.now() if handled else None
    feedback.handled_by = user if handled and user.is_authenticated else None
    feedback.save(update_fields=["handled_at", "handled_by"])
    return feedback
