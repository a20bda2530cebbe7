"""Surveys: a Wagtail page of question blocks, who answered, and the answers.

Anonymous surveys keep identity and answers apart: `Participant` knows who was invited (or opened the
survey) and only whether they answered; `Response` and `Answer` hold no user, no IP address, no link to
the participant and no time finer than the day. Personal surveys link the response to the person and
store the consent text and its version with it.
"""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from network.models import NetworkBody

from .blocks import SurveyStreamBlock
from .questions import Question, answer_rows, sections_of

DEFAULT_CONSENT_TEXT = _(
    "Ich bin einverstanden, dass meine Antworten zusammen mit meinem Namen und meiner E-Mail-Adresse für die "
    "Auswertung dieser Umfrage gespeichert werden. Die Sozialraumkoordination nutzt sie nur dafür und löscht sie, "
    "wenn die Auswertung abgeschlossen ist. Ich kann die Einwilligung jederzeit widerrufen."
)


def consent_version_of(text: str) -> str:
    # Derived from the text, as for the newsletter: an edited text can never be stored under an old version.
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class SurveyIndexPage(Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link", "ul", "ol"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["surveys.SurveyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Übersicht der Umfragen")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        surveys = SurveyPage.objects.child_of(self).live().public().order_by("-closes_at")
        now = timezone.now()
        context["open_surveys"] = [s for s in surveys if s.is_open(now) and s.audience == SurveyPage.Audience.PUBLIC]
        context["published_results"] = [s for s in surveys if s.results_published]
        return context


class SurveyPage(Page):
    class Audience(models.TextChoices):
        PUBLIC = "public", _("Öffentlich: alle, ohne Anmeldung")
        MEMBERS = "members", _("Alle Fachkräfte des Netzwerks")
        BODIES = "bodies", _("Mitglieder der gewählten Gremien")
        INVITED = "invited", _("Nur eingeladene Personen (persönlicher Link per E-Mail)")

    class Anonymity(models.TextChoices):
        ANONYMOUS = "anonymous", _("anonym")
        PERSONAL = "personal", _("persönlich")

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    questions = StreamField(SurveyStreamBlock(), verbose_name=_("Fragen"), blank=True)
    audience = models.CharField(_("Wer darf teilnehmen?"), max_length=10, choices=Audience.choices)
    anonymity = models.CharField(
        _("Anonymität"),
        max_length=10,
        choices=Anonymity.choices,
        default=Anonymity.ANONYMOUS,
        help_text=_(
            "Anonym: mit den Antworten wird weder Person noch IP-Adresse noch Uhrzeit gespeichert, nur der Tag. "
            "Persönlich: die Antworten gehören zur Person, die dafür einwilligt."
        ),
    )
    bodies = ParentalManyToManyField(
        NetworkBody,
        verbose_name=_("Gremien"),
        blank=True,
        related_name="surveys",
        help_text=_("Für „Mitglieder der gewählten Gremien“ und für Einladungen an Gremien."),
    )
    consent_text = models.TextField(
        _("Einwilligungstext"),
        blank=True,
        help_text=_(
            "Nur für persönliche Umfragen. Leer: Standardtext. Jede Fassung wird mit ihrer Version gespeichert."
        ),
    )
    opens_at = models.DateTimeField(_("geöffnet ab"))
    closes_at = models.DateTimeField(_("geöffnet bis"))
    thank_you = models.TextField(_("Dank nach dem Absenden"), blank=True)
    # Set on the results page by the survey's owners, not in the editor.
    results_published = models.BooleanField(_("Ergebnisse veröffentlicht"), default=False, editable=False)
    published_questions = models.JSONField(default=list, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("bodies"),
                FieldPanel("anonymity"),
                FieldPanel("consent_text"),
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
            ],
            heading=_("Teilnahme"),
        ),
        FieldPanel("questions"),
        FieldPanel("thank_you"),
    ]
    parent_page_types = ["surveys.SurveyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Das Ende muss nach dem Beginn liegen.")})
        if self.audience == self.Audience.PUBLIC and self.anonymity == self.Anonymity.PERSONAL:
            raise ValidationError({"anonymity": _("Eine öffentliche Umfrage ohne Anmeldung kann nur anonym sein.")})

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity == self.Anonymity.ANONYMOUS

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.live and self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def effective_consent_text(self) -> str:
        return self.consent_text or str(DEFAULT_CONSENT_TEXT)

    @property
    def consent_version(self) -> str:
        return consent_version_of(self.effective_consent_text)

    def sections(self):
        if not hasattr(self, "_sections"):
            self._sections = sections_of(self.questions)
        return self._sections

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["question_count"] = sum(len(section.questions) for section in self.sections())
        context["page_count"] = len(self.sections())
        return context


class Participant(models.Model):
    """Someone invited to a survey (personal link), or a logged-in person who opened it.

    For anonymous surveys this row and the response are never linked: it only says whether the person
    answered, which is what reminders and "only once" need.
    """

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="participants")
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="survey_participations"
    )
    body = models.ForeignKey(NetworkBody, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Part of the signed link; a new nonce makes every earlier link of this person invalid.
    nonce = models.CharField(max_length=32, blank=True)
    answered = models.BooleanField(_("hat geantwortet"), default=False)
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"], condition=~Q(email=""), name="surveys_one_invitation_per_address"
            ),
            models.UniqueConstraint(
                fields=["survey", "user"], condition=Q(user__isnull=False), name="surveys_one_participation_per_user"
            ),
        ]

    def __str__(self):
        return self.email or str(self.user)


class Response(models.Model):
    """One filled survey. A random id, so the order of rows tells nothing about who answered when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="responses")
    # The body the respondent answered for (invitation to a body, or membership): for the filter by body.
    body = models.ForeignKey(NetworkBody, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Null while a personal survey is only saved, not yet sent.
    submitted_on = models.DateField(_("eingegangen am"), null=True, blank=True)
    # Personal surveys only.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="survey_responses"
    )
    participant = models.OneToOneField(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="response"
    )
    consent_text = models.TextField(blank=True)
    consent_version = models.CharField(max_length=12, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")
        # The body as well: the body filter's list and counts read only the index.
        indexes = [models.Index(fields=["survey", "submitted_on", "body"], name="surveys_response_sent")]


class Answer(models.Model):
    """One stored part of an answer: a chosen option, a number, a matrix statement's rating or a text.

    `submitted` and `body` repeat the response's state (`rows_of` writes them, and every write of a
    response's answers goes through it), so the results count answer rows from one covering index
    without joining the responses: over 10,000 responses that join was most of the page's time.
    `position` numbers the rows of one answer (options of a multiple choice, statements of a matrix);
    counting the rows at position 0 counts the people who answered the question.
    """

    class TextStatus(models.TextChoices):
        PENDING = "pending", _("ungeprüft")
        APPROVED = "approved", _("zur Veröffentlichung freigegeben")
        REJECTED = "rejected", _("nicht veröffentlichen")

    # Indexed by `surveys_answer_by_response` below, which starts with it.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", db_index=False)
    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=64)
    item = models.CharField(max_length=8, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    text_status = models.CharField(max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING)
    position = models.PositiveSmallIntegerField(default=0)
    submitted = models.BooleanField(default=False)
    body = models.ForeignKey(
        NetworkBody, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        indexes = [
            # Everything the results group, count and filter by, so the database reads only the index.
            # `submitted` comes after the grouped columns: SQLite compares a boolean column without `=`
            # and could not seek on it anyway, and drafts are few.
            models.Index(
                fields=["survey", "question", "item", "choice", "number", "position", "submitted", "body", "response"],
                name="surveys_answer_results",
            ),
            # The same columns from the response's side, for the filter by an answer to another question:
            # the rows of the responses that gave that answer, without reading the table.
            models.Index(
                fields=["response", "question", "item", "choice", "number", "position", "submitted", "body", "survey"],
                name="surveys_answer_by_response",
            ),
            # Free texts only: the newest per question, and the count of those still to check.
            models.Index(fields=["survey", "question"], condition=~Q(text=""), name="surveys_answer_texts"),
            models.Index(
                fields=["survey", "text_status", "submitted"], condition=~Q(text=""), name="surveys_answer_moderation"
            ),
        ]

    @classmethod
    def rows_of(cls, response: Response, question: Question, value: Any) -> list["Answer"]:
        """The rows one validated answer of `response` is stored as (unsaved)."""
        return [
            cls(
                response=response,
                survey_id=response.survey_id,
                question=question.id,
                submitted=response.submitted_on is not None,
                body_id=response.body_id,
                position=position,
                **row,
            )
            for position, row in enumerate(answer_rows(question, value))
        ]


class PlatformFeedback(models.Model):
    """A note from the footer's "Feedback zur Plattform" form; the coordination reads them in its inbox."""

    class Kind(models.TextChoices):
        IDEA = "idea", _("Idee oder Wunsch")
        PROBLEM = "problem", _("Etwas funktioniert nicht")
        PRAISE = "praise", _("Lob")
        OTHER = "other", _("Sonstiges")

    kind = models.CharField(_("Worum geht es?"), max_length=10, choices=Kind.choices, default=Kind.IDEA)
    text = models.TextField(_("Ihre Rückmeldung"), max_length=3000)
    page = models.CharField(_("Seite"), max_length=300, blank=True)
    contact_email = models.EmailField(_("E-Mail-Adresse für eine Antwort (freiwillig)"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Rückmeldung zur Plattform")
        verbose_name_plural = _("Rückmeldungen zur Plattform")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:60]


# Feedback after meetings and the conference ------------------------------------------------------

FEEDBACK_QUESTIONS_MIN, FEEDBACK_QUESTIONS_MAX = 3, 5


class FeedbackTemplate(models.Model):
    """The short questionnaire attendees get after a meeting or the conference.

    Its questions are the survey blocks; a request copies them (with their ids) into a new `SurveyPage`,
    so answers and results are the survey engine's, and every feedback survey of one template shares the
    question ids."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("nach einer Sitzung")
        CONFERENCE = "conference", _("nach der Sozialraumkonferenz")

    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(_("Wofür?"), max_length=12, choices=Kind.choices, default=Kind.MEETING)
    is_default = models.BooleanField(
        _("Standardvorlage"), default=False, help_text=_("Wird genommen, wenn niemand eine andere Vorlage wählt.")
    )
    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    questions = StreamField(
        SurveyStreamBlock(),
        verbose_name=_("Fragen"),
        help_text=_("3 bis 5 kurze Fragen, damit das Feedback schnell ausgefüllt ist."),
    )
    anonymity = models.CharField(
        _("Anonymität"), max_length=10, choices=SurveyPage.Anonymity.choices, default=SurveyPage.Anonymity.ANONYMOUS
    )
    open_days = models.PositiveSmallIntegerField(
        _("Tage geöffnet"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    thank_you = models.TextField(_("Dank nach dem Absenden"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("is_default"),
        FieldPanel("intro"),
        FieldPanel("anonymity"),
        FieldPanel("open_days"),
        FieldPanel("questions"),
        FieldPanel("thank_you"),
    ]

    class Meta:
        verbose_name = _("Feedback-Vorlage")
        verbose_name_plural = _("Feedback-Vorlagen")
        ordering = ["kind", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(is_default=True), name="surveys_one_default_per_kind")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def question_count(self) -> int:
        return sum(1 for block in self.questions if block.block_type != "section")

    def clean(self):
        super().clean()
        count = self.question_count()
        if not FEEDBACK_QUESTIONS_MIN <= count <= FEEDBACK_QUESTIONS_MAX:
            raise ValidationError(
                {"questions": _("Ein Feedback hat 3 bis 5 Fragen, diese Vorlage hat %(count)d.") % {"count": count}}
            )
        if self.is_default:
            others = FeedbackTemplate.objects.filter(kind=self.kind, is_default=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {"is_default": _("Es gibt schon eine Standardvorlage dieser Art: %(name)s.") % {"name": others[0]}}
                )


class FeedbackRequest(models.Model):
    """The feedback survey of one meeting or of one conference. The unique link is the record that makes a
    second request (by hand or by `send_due_feedback_requests`) do nothing."""

    survey = models.OneToOneField(SurveyPage, on_delete=models.CASCADE, related_name="feedback_request")
    template = models.ForeignKey(FeedbackTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    meeting = models.OneToOneField(
        "meetings.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_request"
    )
    conference = models.OneToOneField(
        "planning.Conference", null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_request"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("angefragt am"), default=timezone.now)
    automatic = models.BooleanField(_("automatisch angefragt"), default=False)
    # Set once every attendee's invitation is queued; a request without it was interrupted and is resumed.
    invitations_done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Feedback-Anfrage")
        verbose_name_plural = _("Feedback-Anfragen")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, conference__isnull=True)
                | Q(meeting__isnull=True, conference__isnull=False),
                name="surveys_feedback_for_one_meeting_or_conference",
            )
        ]

    def __str__(self):
        return self.survey.title


class AutomaticFeedback(models.Model):
    """Feedback after every meeting of a body or of a series, asked by `manage.py send_due_feedback_requests`
    some hours after the meeting ended."""

    body = models.OneToOneField(
        NetworkBody,
        verbose_name=_("Gremium"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="automatic_feedback",
    )
    series = models.OneToOneField(
        "meetings.MeetingSeries",
        verbose_name=_("Sitzungsreihe"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="automatic_feedback",
    )
    active = models.BooleanField(_("eingeschaltet"), default=True)
    template = models.ForeignKey(
        FeedbackTemplate,
        verbose_name=_("Vorlage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": FeedbackTemplate.Kind.MEETING},
        help_text=_("Leer: die Standardvorlage für Sitzungen."),
    )
    enabled_since = models.DateTimeField(
        _("für Sitzungen, die enden nach"),
        default=timezone.now,
        help_text=_("Frühere Sitzungen werden nicht nachträglich befragt."),
    )

    panels = [
        FieldPanel("body"),
        FieldPanel("series"),
        FieldPanel("active"),
        FieldPanel("template"),
        FieldPanel("enabled_since"),
    ]

    class Meta:
        verbose_name = _("Automatisches Feedback")
        verbose_name_plural = _("Automatisches Feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False, series__isnull=True) | Q(body__isnull=True, series__isnull=False),
                name="surveys_automatic_feedback_for_body_or_series",
            )
        ]

    def __str__(self):
        return str(self.body or self.series)

    def clean(self):
        super().clean()
        if bool(self.body_id) == bool(self.series_id):
            raise ValidationError(_("Bitte wählen Sie entweder ein Gremium oder eine Sitzungsreihe."))
