"""Feedback after a meeting or the conference: a survey made from a feedback template, and the attendees
invited to it with the surveys' personal one-time links.

A request is three steps, each of which may be interrupted without anyone getting a second mail:

1. claim: the survey page and the `FeedbackRequest` are created in one transaction; the request is unique
   per meeting (per conference), so a second click, a second worker or the next run of
   `send_due_feedback_requests` finds it and does nothing;
2. invite: one `Participant` per address (unique per survey and address), each followed by its mail;
3. done: `invitations_done_at`. A request without it was interrupted; `send_due_feedback_requests` resumes
   it and invites only the addresses that have no `Participant` yet.

Who is asked about a meeting: those recorded as present (attendance, else the minutes' list of who was
there), else those who confirmed (not the waiting list); guests without an account who confirmed; active
accounts only. About the conference: the registrations that are neither cancelled nor waiting.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import PageViewRestriction

from cms.models import EventRegistration
from core.permissions import Viewer
from meetings.models import Attendance, Guest, Meeting, MeetingReply
from minutes.models import Minutes
from network.models import NetworkBody, User
from planning.models import Conference

from . import permissions, services
from .feedback_templates import ensure_default_template
from .models import AutomaticFeedback, FeedbackRequest, FeedbackTemplate, SurveyIndexPage, SurveyPage

logger = logging.getLogger(__name__)

# Meetings that ended longer ago than this are not asked automatically any more (e.g. after an outage).
AUTOMATIC_WINDOW = timedelta(days=7)


class AlreadyRequested(ValidationError):
    """The meeting or conference has its feedback survey; nobody is asked twice."""


class NobodyToAsk(ValidationError):
    """Nobody was recorded as present or confirmed."""


@dataclass(frozen=True)
class Attendees:
    people: dict[str, User | None]  # address (lower case) -> account, if any
    basis: str | Promise  # how they were found, for the confirmation page

    def __len__(self) -> int:
        return len(self.people)


BASIS_ATTENDANCE = gettext_lazy("laut erfasster Anwesenheit")
BASIS_MINUTES = gettext_lazy("laut Anwesenheitsliste im Protokoll")
BASIS_CONFIRMED = gettext_lazy("alle, die zugesagt haben (keine Anwesenheit erfasst)")
BASIS_REGISTERED = gettext_lazy("alle Angemeldeten (ohne Stornierungen und Warteliste)")


def delay() -> timedelta:
    return timedelta(hours=getattr(settings, "SURVEYS_FEEDBACK_DELAY_HOURS", 2))


# --- who is asked --------------------------------------------------------------------------------


def _accounts(users: QuerySet[User]) -> dict[str, User | None]:
    return {user.email.lower(): user for user in users.filter(is_active=True).exclude(email="").order_by("email")}


def meeting_attendees(meeting: Meeting) -> Attendees:
    attendance = Attendance.objects.filter(meeting=meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if attendance.exists():
        people = _accounts(User.objects.filter(pk__in=attendance.filter(present=True).values("user_id")))
        basis = BASIS_ATTENDANCE
    elif minutes is not None and minutes.present.exists():
        people = _accounts(minutes.present.all())
        basis = BASIS_MINUTES
    else:
        confirmed = MeetingReply.objects.filter(
            meeting=meeting, answer=MeetingReply.Answer.YES, waiting_position__isnull=True
        )
        people = _accounts(User.objects.filter(pk__in=confirmed.values("user_id")))
        basis = BASIS_CONFIRMED
    # Guests without an account cannot be ticked as present; their own "yes" is what is known of them.
    for guest in Guest.objects.filter(meeting=meeting, user__isnull=True, answer=MeetingReply.Answer.YES):
        people.setdefault(guest.email.lower(), None)
    return Attendees(people, basis)


def conference_attendees(conference: Conference) -> Attendees:
    registrations = EventRegistration.objects.filter(
        event_id=conference.event_id, status=EventRegistration.Status.CONFIRMED
    ).select_related("user")
    people: dict[str, User | None] = {}
    for registration in registrations.order_by("created_at"):
        user = registration.user if registration.user is not None and registration.user.is_active else None
        people.setdefault(registration.email.lower(), user)
    return Attendees(people, BASIS_REGISTERED)


# --- templates -------------------------------------------------------------------------------------


def templates_for(kind: str) -> list[FeedbackTemplate]:
    """The templates of a kind, the default first; the built-in default is made when there is none."""
    ensure_default_template(FeedbackTemplate, kind)
    return list(FeedbackTemplate.objects.filter(kind=kind).order_by("-is_default", "name", "pk"))


def _template(kind: str, template: FeedbackTemplate | None) -> FeedbackTemplate:
    if template is not None and template.kind != kind:
        raise ValidationError(_("Diese Vorlage ist nicht für diese Art von Feedback gedacht."))
    return template or templates_for(kind)[0]


# --- asking ---------------------------------------------------------------------------------------------


def _date(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def already_requested_message(request: FeedbackRequest) -> str:
    return _(
        "Feedback wurde bereits am %(date)s angefragt; jede Person wird nur einmal gefragt. Erinnerungen an alle, "
        "die noch nicht geantwortet haben, verschicken Sie über die Einladungen der Feedback-Umfrage."
    ) % {"date": _date(request.requested_at)}


def _free_slug(index: SurveyIndexPage, base: str) -> str:
    slug, number = base, 1
    while SurveyPage.objects.child_of(index).filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _claim(
    template: FeedbackTemplate,
    *,
    title: str,
    slug: str,
    actor: User | None,
    meeting: Meeting | None = None,
    conference: Conference | None = None,
) -> FeedbackRequest:
    index = SurveyIndexPage.objects.first()
    if index is None:
        raise ValidationError(_("Es gibt noch keine Seite „Umfragen“. Die Redaktion legt sie unter der Startseite an."))
    now = timezone.now()
    try:
        with transaction.atomic():
            survey = SurveyPage(
                title=title[:255],
                slug=_free_slug(index, slugify(slug)[:200]),
                intro=template.intro,
                questions=list(template.questions.raw_data),
                audience=SurveyPage.Audience.INVITED,
                anonymity=template.anonymity,
                opens_at=now,
                closes_at=now + timedelta(days=template.open_days),
                thank_you=template.thank_you,
                owner=actor,
                show_in_menus=False,
            )
            # No bodies on the survey: the invitations page would otherwise offer to invite every member,
            # absentees included. The body of a meeting's feedback goes with each invitation instead.
            index.add_child(instance=survey)
            # Nobody needs the page itself (answers go through the personal links); kept out of the public
            # search, sitemaps and lists, as its title names the meeting.
            PageViewRestriction.objects.create(page=survey, restriction_type=PageViewRestriction.LOGIN)
            # surveys.permissions decided who may ask; Wagtail's page permissions are the editors' matter.
            survey.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
            return FeedbackRequest.objects.create(
                survey=survey,
                template=template,
                meeting=meeting,
                conference=conference,
                requested_by=actor,
                requested_at=now,
                automatic=actor is None,
            )
    except IntegrityError:
        # A second request at the same moment won the claim; the survey made here was rolled back with it.
        existing = FeedbackRequest.objects.filter(Q(meeting=meeting) if meeting else Q(conference=conference)).first()
        raise AlreadyRequested(
            already_requested_message(existing) if existing else _("Feedback wurde bereits angefragt.")
        ) from None


def _invite(request: FeedbackRequest, attendees: Attendees, body: NetworkBody | None, occasion: str) -> int:
    survey = request.survey
    sent = services.invite_addresses(
        survey,
        {email: (user, body) for email, user in attendees.people.items()},
        template="feedback_invitation",
        extra={"occasion": occasion},
    )
    FeedbackRequest.objects.filter(pk=request.pk).update(invitations_done_at=timezone.now())
    return sent


def _meeting_title(meeting: Meeting) -> str:
    return _("Feedback: %(title)s am %(date)s") % {"title": meeting.title, "date": _date(meeting.start)}


def _meeting_occasion(meeting: Meeting) -> str:
    return _("die Sitzung „%(title)s“ am %(date)s") % {"title": meeting.title, "date": _date(meeting.start)}


def _check_meeting(meeting: Meeting) -> Attendees:
    existing = FeedbackRequest.objects.filter(meeting=meeting).first()
    if existing is not None:
        raise AlreadyRequested(already_requested_message(existing))
    if meeting.is_cancelled:
        raise ValidationError(_("Die Sitzung wurde abgesagt; zu ihr gibt es kein Feedback."))
    if not meeting.is_past:
        raise ValidationError(
            _("Feedback gibt es erst nach dem Ende der Sitzung (%(end)s Uhr).")
            % {"end": formats.date_format(timezone.localtime(meeting.end), "DATETIME_FORMAT")}
        )
    attendees = meeting_attendees(meeting)
    if not attendees:
        raise NobodyToAsk(
            _(
                "Niemand ist als anwesend erfasst und niemand hat zugesagt: Es gibt niemanden, den wir um Feedback "
                "bitten könnten. Erfassen Sie zuerst die Anwesenheit."
            )
        )
    return attendees


def _request_for_meeting(
    meeting: Meeting, actor: User | None, template: FeedbackTemplate | None
) -> tuple[FeedbackRequest, int]:
    attendees = _check_meeting(meeting)
    request = _claim(
        _template(FeedbackTemplate.Kind.MEETING, template),
        title=_meeting_title(meeting),
        slug=f"feedback-sitzung-{meeting.pk}",
        actor=actor,
        meeting=meeting,
    )
    return request, _invite(request, attendees, meeting.body, _meeting_occasion(meeting))


def request_meeting_feedback(
    actor: Viewer, meeting: Meeting, template: FeedbackTemplate | None = None
) -> tuple[FeedbackRequest, int]:
    """Ask the meeting's attendees for feedback, once. Returns the request and the number of invitations;
    a second call raises `AlreadyRequested` with the date of the first."""
    permissions.check_request_feedback(actor, meeting)
    assert isinstance(actor, User)
    return _request_for_meeting(meeting, actor, template)


def conference_end(conference: Conference) -> datetime:
    event = conference.event
    return event.end or event.start


def request_conference_feedback(
    actor: Viewer, conference: Conference, template: FeedbackTemplate | None = None
) -> tuple[FeedbackRequest, int]:
    permissions.check_request_conference_feedback(actor, conference)
    assert isinstance(actor, User)
    existing = FeedbackRequest.objects.filter(conference=conference).first()
    if existing is not None:
        raise AlreadyRequested(already_requested_message(existing))
    if conference_end(conference) > timezone.now():
        raise ValidationError(_("Feedback gibt es erst nach dem Ende der Konferenz."))
    attendees = conference_attendees(conference)
    if not attendees:
        raise NobodyToAsk(_("Zu dieser Konferenz ist niemand angemeldet: Es gibt niemanden zu fragen."))
    event = conference.event
    request = _claim(
        _template(FeedbackTemplate.Kind.CONFERENCE, template),
        title=_("Feedback: %(title)s am %(date)s") % {"title": event.title, "date": _date(event.start)},
        slug=f"feedback-konferenz-{conference.year.year}",
        actor=actor,
        conference=conference,
    )
    occasion = _("die %(title)s am %(date)s") % {"title": event.title, "date": _date(event.start)}
    return request, _invite(request, attendees, None, occasion)


# --- the automatic path -------------------------------------------------------------------------------


def _switched_on(prefix: str) -> Q:
    """The meeting's body (or series) has automatic feedback on, since before the meeting ended."""
    return Q(
        **{f"{prefix}__automatic_feedback__active": True},
        end__gt=F(f"{prefix}__automatic_feedback__enabled_since"),
    )


def due_meetings(now: datetime | None = None) -> QuerySet[Meeting]:
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            is_cancelled=False, end__lte=now - delay(), end__gt=now - AUTOMATIC_WINDOW, feedback_request__isnull=True
        )
        .filter(_switched_on("body") | _switched_on("series"))
        .select_related("body", "series")
        .order_by("end", "pk")
    )


def _template_of_switch(meeting: Meeting) -> FeedbackTemplate | None:
    switch = (
        AutomaticFeedback.objects.filter(Q(series_id=meeting.series_id) if meeting.series_id else Q(pk__in=[]))
        .filter(active=True)
        .first()
        or AutomaticFeedback.objects.filter(body_id=meeting.body_id, active=True).first()
    )
    return switch.template if switch is not None else None


def send_due_feedback_requests(now: datetime | None = None) -> tuple[int, int]:
    """Ask for feedback on every due meeting once, and finish requests an interruption left half done.
    Returns (requests made, invitations sent). Safe to run from several places at once."""
    requests, invitations = 0, 0
    unfinished = FeedbackRequest.objects.filter(invitations_done_at__isnull=True, meeting__isnull=False)
    for request in unfinished.select_related("survey", "meeting", "meeting__body"):
        meeting = request.meeting
        if meeting is not None and request.survey.is_open():
            invitations += _invite(request, meeting_attendees(meeting), meeting.body, _meeting_occasion(meeting))
    for meeting in due_meetings(now):
        try:
            _request, sent = _request_for_meeting(meeting, None, _template_of_switch(meeting))
        except NobodyToAsk:
            continue  # perhaps the attendance is recorded later, within the window
        except AlreadyRequested:
            continue
        except ValidationError as error:
            logger.warning("Feedback for meeting %s not requested: %s", meeting.pk, " ".join(error.messages))
            continue
        requests += 1
        invitations += sent
    return requests, invitations


# --- what the meeting and conference pages show --------------------------------------------------------


def request_of_meeting(meeting: Meeting) -> FeedbackRequest | None:
    return FeedbackRequest.objects.select_related("survey").filter(meeting=meeting).first()


def request_of_conference(conference: Conference) -> FeedbackRequest | None:
    return FeedbackRequest.objects.select_related("survey").filter(conference=conference).first()


def automatic_feedback_of(meeting: Meeting) -> AutomaticFeedback | None:
    rule = Q(body_id=meeting.body_id) | (Q(series_id=meeting.series_id) if meeting.series_id else Q(pk__in=[]))
    return AutomaticFeedback.objects.filter(rule, active=True).first()
