"""Who may answer a survey, who sees its results (core.permissions convention: check_ raises, can_ answers).

The coordination and the survey's owner (the Wagtail page's owner) run a survey: invitations,
reminders, results, moderation of free texts, exports and publishing.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.permissions import PermissionDenied, Viewer, allowed
from meetings.models import Meeting
from network import access
from network.models import NetworkBody
from planning.models import Conference

from .models import FeedbackRequest, Participant, PlatformFeedback, SurveyPage


def check_survey_open(survey: SurveyPage) -> None:
    now = timezone.now()
    if not survey.live:
        raise PermissionDenied(_("Diese Umfrage ist nicht veröffentlicht."))
    if now < survey.opens_at:
        raise PermissionDenied(
            _("Diese Umfrage beginnt erst am %(date)s.")
            % {"date": formats.date_format(timezone.localtime(survey.opens_at), "DATETIME_FORMAT")}
        )
    if survey.has_closed(now):
        raise PermissionDenied(
            _("Diese Umfrage ist seit %(date)s geschlossen. Antworten sind nicht mehr möglich.")
            % {"date": formats.date_format(timezone.localtime(survey.closes_at), "DATETIME_FORMAT")}
        )


def check_answer(user: Viewer, survey: SurveyPage, participant: Participant | None = None) -> None:
    """May answer (or see the form of) this survey: open, and in its audience, or holding an invitation."""
    check_survey_open(survey)
    check_in_audience(user, survey, participant)


def check_in_audience(user: Viewer, survey: SurveyPage, participant: Participant | None = None) -> None:
    """Is asked by this survey, open or not: in its audience, or holding an invitation."""
    if participant is not None:
        if participant.survey_id != survey.pk:
            raise PermissionDenied(_("Dieser Link gehört zu einer anderen Umfrage."))
        return
    audience = survey.audience
    if audience == SurveyPage.Audience.PUBLIC:
        return
    if audience == SurveyPage.Audience.INVITED:
        raise PermissionDenied(
            _("An dieser Umfrage nehmen nur eingeladene Personen über ihren persönlichen Link teil.")
        )
    if not access.is_professional(user):
        raise PermissionDenied(
            _("An dieser Umfrage nehmen nur Fachkräfte des Netzwerks teil. Bitte melden Sie sich an.")
        )
    if audience == SurveyPage.Audience.BODIES and not (
        access.member_body_ids(user) & set(NetworkBody.objects.filter(surveys=survey).values_list("pk", flat=True))
    ):
        raise PermissionDenied(_("An dieser Umfrage nehmen nur die Mitglieder der angesprochenen Gremien teil."))


def check_manage_survey(user: Viewer, survey: SurveyPage) -> None:
    """Results, free-text moderation, exports, invitations, reminders and publishing."""
    if access.is_coordinator(user):
        return
    if access.is_professional(user) and survey.owner_id == user.pk:
        return
    if _moderates_feedback_meeting(user, survey):
        return
    raise PermissionDenied(
        _("Die Auswertung dieser Umfrage sehen die Sozialraumkoordination und wer die Umfrage angelegt hat.")
    )


def _moderates_feedback_meeting(user: Viewer, survey: SurveyPage) -> bool:
    """A meeting's feedback belongs to the body's whole moderation, also when the request was automatic."""
    body_ids = access.moderated_body_ids(user) if access.is_professional(user) else set()
    return bool(body_ids) and FeedbackRequest.objects.filter(survey=survey, meeting__body_id__in=body_ids).exists()


def check_invite(user: Viewer, survey: SurveyPage) -> None:
    check_manage_survey(user, survey)
    if survey.audience != SurveyPage.Audience.INVITED:
        raise PermissionDenied(_("Einladungen gibt es nur für Umfragen unter eingeladenen Personen."))
    check_survey_open(survey)


def check_see_public_results(user: Viewer, survey: SurveyPage) -> None:
    if not (survey.live and survey.results_published):
        raise PermissionDenied(_("Die Ergebnisse dieser Umfrage sind nicht veröffentlicht."))


def can_answer(user: Viewer, survey: SurveyPage) -> bool:
    return allowed(check_answer, user, survey)


def can_manage_survey(user: Viewer, survey: SurveyPage) -> bool:
    return allowed(check_manage_survey, user, survey)


def can_see_public_results(user: Viewer, survey: SurveyPage) -> bool:
    return allowed(check_see_public_results, user, survey)


def check_read_feedback(user: Viewer, feedback: PlatformFeedback | None = None) -> None:
    """The platform feedback inbox is the coordination's (and the administration's)."""
    if not (access.is_coordinator(user) or user.is_superuser):
        raise PermissionDenied(_("Die Rückmeldungen zur Plattform liest die Sozialraumkoordination."))


def can_read_feedback(user: Viewer) -> bool:
    return allowed(check_read_feedback, user)


def check_request_feedback(user: Viewer, meeting: Meeting) -> None:
    """Ask a meeting's attendees for feedback: the body's moderation and the coordination."""
    if not access.can_moderate_body(user, meeting.body):
        raise PermissionDenied(
            _("Feedback zu einer Sitzung fragen die Moderation des Gremiums und die Sozialraumkoordination an.")
        )


def check_request_conference_feedback(user: Viewer, conference: Conference) -> None:
    if not access.is_coordinator(user):
        raise PermissionDenied(_("Feedback zur Sozialraumkonferenz fragt die Sozialraumkoordination an."))


def can_request_feedback(user: Viewer, meeting: Meeting) -> bool:
    return allowed(check_request_feedback, user, meeting)


def can_request_conference_feedback(user: Viewer, conference: Conference) -> bool:
    return allowed(check_request_conference_feedback, user, conference)
