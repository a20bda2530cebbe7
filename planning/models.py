"""The yearly planning cycle (concept section 3): a planning year with its phases, the focus groups'
goal proposals with their status history, the year's rating criteria and the Lenkungsrunde's ratings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlanningYear(models.Model):
    class ConflictRule(models.TextChoices):
        MARKED = "marked", _("Bewertung erlaubt, Interessenkonflikt wird gekennzeichnet")
        EXCLUDED = "excluded", _("Mitglieder der vorschlagenden Gruppe bewerten deren Vorschläge nicht")

    year = models.PositiveSmallIntegerField(
        _("Jahr"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    conflict_rule = models.CharField(
        _("Regel bei Interessenkonflikt"), max_length=10, choices=ConflictRule.choices, default=ConflictRule.MARKED
    )
    # Empty: the phase follows from the dates; set when the coordination switches phases by hand.
    current_phase_override = models.CharField(_("Aktuelle Phase (von Hand)"), max_length=20, blank=True)
    # The phase the members were last told about (by the coordination's switch or the daily run), so
    # that each phase is announced once.
    announced_phase = models.CharField(_("Zuletzt angekündigte Phase"), max_length=20, blank=True)
    rating_closed_at = models.DateTimeField(_("Bewertungsrunde abgeschlossen am"), null=True, blank=True)
    priorities_finalised_at = models.DateTimeField(_("Prioritätenliste festgelegt am"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Planungsjahr")
        verbose_name_plural = _("Planungsjahre")
        ordering = ["-year"]

    def __str__(self):
        return _("Planungsjahr %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("planning:year_detail", args=[self.year])

    def get_ranking_url(self):
        return reverse("planning:ranking", args=[self.year])

    def ratings_exist(self):
        return Rating.objects.filter(criterion__year=self).exists()

    @property
    def rating_is_closed(self):
        return self.rating_closed_at is not None

    # The phase methods read `phases.all()`, so a prefetch serves them without further queries.
    def ordered_phases(self):
        return sorted(self.phases.all(), key=lambda phase: PHASE_ORDER.index(phase.kind))

    def phase_of_kind(self, kind):
        return next((phase for phase in self.phases.all() if phase.kind == kind), None)

    def current_phase(self, today=None):
        """The phase switched on by hand, else the latest phase that has begun (None before the first)."""
        if self.current_phase_override:
            return self.phase_of_kind(self.current_phase_override)
        today = today or timezone.localdate()
        begun = [phase for phase in self.ordered_phases() if phase.starts_on <= today]
        return begun[-1] if begun else None

    def next_deadline(self, today=None):
        """The nearest phase end still ahead: (phase, date) or None."""
        today = today or timezone.localdate()
        ahead = [phase for phase in self.ordered_phases() if phase.ends_on >= today]
        return min(ahead, key=lambda phase: phase.ends_on) if ahead else None

    def submission_deadline(self):
        phase = self.phase_of_kind(Phase.Kind.ZIELVORSCHLAEGE)
        return phase.ends_on if phase else None


class Phase(models.Model):
    class Kind(models.TextChoices):
        # In the order of the year; `ORDER` below relies on it.
        BESTANDSAUFNAHME = "bestandsaufnahme", _("Bestandsaufnahme")
        ZIELVORSCHLAEGE = "zielvorschlaege", _("Zielvorschläge einreichen")
        BEWERTUNG = "bewertung", _("Bewertung durch die Lenkungsrunde")
        KONFERENZ = "konferenz", _("Sozialraumkonferenz")
        PLANUNGSPAPIER = "planungspapier", _("Planungspapier")
        BESCHLUSS = "beschluss", _("Beschluss der SVV")
        UMSETZUNG = "umsetzung", _("Umsetzung")

    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("Phase"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende bzw. Frist"))

    class Meta:
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="one_phase_of_each_kind_per_year"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


PHASE_ORDER = list(Phase.Kind.values)

# What each phase expects of whom (concept section 3), shown next to the current phase.
PHASE_HINTS = {
    Phase.Kind.BESTANDSAUFNAHME: _("Die Fokusgruppen nehmen in ihrem Feld Bestand auf: Bedarfe, Angebote, Lücken."),
    Phase.Kind.ZIELVORSCHLAEGE: _(
        "Fokus- und Arbeitsgruppen stimmen ihre Zielvorschläge ab und reichen sie bis zur Frist ein."
    ),
    Phase.Kind.BEWERTUNG: _(
        "Die Lenkungsrunde bewertet die eingereichten Vorschläge; die Bewertungen bleiben bis zum Abschluss geheim."
    ),
    Phase.Kind.KONFERENZ: _(
        "Die priorisierten Vorschläge werden in der Sozialraumkonferenz mit allen Akteuren beraten."
    ),
    Phase.Kind.PLANUNGSPAPIER: _(
        "Die Lenkungsrunde schreibt mit dem Sozialmonitoring das Planungspapier für die Stadtverordneten."
    ),
    Phase.Kind.BESCHLUSS: _("Die Stadtverordnetenversammlung entscheidet, was in den Haushalt übernommen wird."),
    Phase.Kind.UMSETZUNG: _(
        "Die beschlossenen Maßnahmen werden umgesetzt; die Sozialraumkoordination berichtet über den Stand."
    ),
}


class RatingCriterion(models.Model):
    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("Kriterium"), max_length=80)
    description = models.CharField(_("Erläuterung"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale_min = models.SmallIntegerField(_("Skala von"), default=1)
    scale_max = models.SmallIntegerField(_("Skala bis"), default=5)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Bewertungskriterium")
        verbose_name_plural = _("Bewertungskriterien")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="unique_criterion_name_per_year"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_not_empty"
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name


class Proposal(models.Model):
    class Status(models.TextChoices):
        ENTWURF = "entwurf", _("Entwurf")
        ABGESTIMMT = "abgestimmt", _("in der Fokusgruppe abgestimmt")
        EINGEREICHT = "eingereicht", _("eingereicht")
        IN_BEWERTUNG = "in_bewertung", _("in Bewertung")
        PRIORISIERT = "priorisiert", _("priorisiert")
        ZURUECKGESTELLT = "zurueckgestellt", _("zurückgestellt")
        ZURUECK = "zurueck", _("zurück an die Fokusgruppe")
        IM_PLANUNGSPAPIER = "im_planungspapier", _("im Planungspapier")
        BESCHLOSSEN = "beschlossen", _("von der SVV beschlossen")
        ABGELEHNT = "abgelehnt", _("von der SVV abgelehnt")
        VERTAGT = "vertagt", _("von der SVV vertagt")
        IN_UMSETZUNG = "in_umsetzung", _("in Umsetzung")
        UMGESETZT = "umgesetzt", _("umgesetzt")

    year = models.ForeignKey(
        PlanningYear, verbose_name=_("Planungsjahr"), on_delete=models.PROTECT, related_name="proposals"
    )
    body = models.ForeignKey(
        "network.NetworkBody",
        verbose_name=_("Vorschlagende Gruppe"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    title = models.CharField(_("Titel"), max_length=200)
    themenfeld = models.ForeignKey(
        "network.Themenfeld",
        verbose_name=_("Themenfeld"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    problem = models.TextField(_("Problem und Belege (Bestandsaufnahme)"), max_length=10_000)
    goal = models.TextField(_("Ziel"), max_length=5_000)
    measures = models.TextField(_("Maßnahmen"), max_length=10_000, blank=True)
    target_group = models.CharField(_("Zielgruppe"), max_length=300, blank=True)
    estimated_cost = models.DecimalField(
        _("Geschätzte Kosten (Euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    time_frame = models.CharField(_("Zeitrahmen"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        "network.Organisation", verbose_name=_("Verantwortliche Partner"), blank=True, related_name="proposals"
    )
    districts = models.ManyToManyField(
        "network.District", verbose_name=_("Quartiere"), blank=True, related_name="proposals"
    )
    # Evidence of the Bestandsaufnahme from the Sozialmonitoring, shown with their latest values.
    indicators = models.ManyToManyField(
        "monitoring.Indicator", verbose_name=_("Indikatoren"), blank=True, related_name="proposals"
    )
    forum_topics = models.ManyToManyField(
        "forum.Topic", verbose_name=_("Forumsthemen"), blank=True, related_name="planning_proposals"
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.ENTWURF, db_index=True)
    # The council's decision (Beschluss der SVV).
    budget_amount = models.DecimalField(
        _("Bewilligte Mittel (Euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    drucksache = models.CharField(_("Drucksachen-Nr."), max_length=40, blank=True)
    decided_on = models.DateField(_("Beschlossen am"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Zielvorschlag")
        verbose_name_plural = _("Zielvorschläge")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("planning:proposal_detail", args=[self.pk])


class ProposalEvent(models.Model):
    """One step of a proposal's history: who moved it from where to where, when and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Proposal.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Proposal.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("Kommentar"), max_length=2_000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.proposal} → {self.get_to_status_display()}"


class Rating(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(RatingCriterion, on_delete=models.CASCADE, related_name="ratings")
    # A deleted account leaves its ratings without a name: the ranking of a closed round must not change.
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="planning_ratings"
    )
    score = models.SmallIntegerField(_("Wert"))
    comment = models.TextField(_("Kommentar"), max_length=2_000, blank=True)
    # The rater also sits in the proposing group (and the year's rule let them rate anyway).
    conflict_of_interest = models.BooleanField(_("Interessenkonflikt"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion", "rater"], name="one_rating_per_rater_and_criterion"
            )
        ]

    def __str__(self):
        return f"{self.proposal} · {self.criterion}: {self.score}"


class ImplementationReport(models.Model):
    """Umsetzungsstand: the coordination's short reports on a decided proposal, over time."""

    class State(models.TextChoices):
        GEPLANT = "geplant", _("geplant")
        BEGONNEN = "begonnen", _("begonnen")
        UMGESETZT = "umgesetzt", _("umgesetzt")
        EINGESTELLT = "eingestellt", _("eingestellt")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reports")
    state = models.CharField(_("Umsetzungsstand"), max_length=12, choices=State.choices)
    text = models.TextField(_("Kurzbericht"), max_length=3_000)
    reported_on = models.DateField(_("Stand vom"), default=timezone.localdate)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Bericht zum Umsetzungsstand")
        verbose_name_plural = _("Berichte zum Umsetzungsstand")
        ordering = ["-reported_on", "-pk"]

    def __str__(self):
        return f"{self.proposal}: {self.get_state_display()}"


# --- Sozialraumkonferenz (planning.conference) ---------------------------------------------
# The conference is a cms.EventPage (the public page, the registration list, the newsletter's
# audience); the year's Conference links to it and adds what only the planning cycle knows:
# workshops on the year's proposals, the registrants' wishes and places, results and the report.


class Conference(models.Model):
    year = models.OneToOneField(PlanningYear, on_delete=models.CASCADE, related_name="conference")
    event = models.OneToOneField(
        "cms.EventPage",
        verbose_name=_("Termin der Konferenz"),
        on_delete=models.PROTECT,
        related_name="planning_conference",
    )
    report_summary = models.TextField(_("Zusammenfassung für den Bericht"), max_length=10_000, blank=True)
    report_published_at = models.DateTimeField(_("Bericht veröffentlicht am"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("Plätze in den Foren zugeteilt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sozialraumkonferenz")
        verbose_name_plural = _("Sozialraumkonferenzen")

    def __str__(self):
        return _("Sozialraumkonferenz %(year)s") % {"year": self.year.year}

    def get_absolute_url(self):
        return reverse("planning:conference", args=[self.year.year])

    @property
    def report_is_published(self):
        return self.report_published_at is not None


class Workshop(models.Model):
    """A Forum or Arbeitsgruppe of the conference: a room, a capacity, the proposals it discusses, its results."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), max_length=2_000, blank=True)
    room = models.CharField(_("Raum"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("Plätze"), validators=[MinValueValidator(1)])
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("Beratene Zielvorschläge"), blank=True, related_name="workshops"
    )
    results = models.TextField(_("Ergebnisse"), max_length=10_000, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    # Set by planning.conference.selectors.workshops_of; declared for the type checker only.
    taken: int
    wanted: int
    free: int

    class Meta:
        verbose_name = _("Forum der Konferenz")
        verbose_name_plural = _("Foren der Konferenz")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "title"], name="unique_workshop_title_per_conference"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="workshop_capacity_positive"),
        ]

    def __str__(self):
        return self.title


class WorkshopChoice(models.Model):
    """A registrant's first and second wish and the place the coordination gave them."""

    registration = models.OneToOneField(
        "cms.EventRegistration", on_delete=models.CASCADE, related_name="workshop_choice"
    )
    first_wish = models.ForeignKey(
        Workshop, verbose_name=_("Erstwunsch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    second_wish = models.ForeignKey(
        Workshop, verbose_name=_("Zweitwunsch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned = models.ForeignKey(
        Workshop,
        verbose_name=_("Zugeteiltes Forum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
    )
    # Set by hand: the automatic assignment keeps it.
    assigned_by_hand = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Forumswahl")
        verbose_name_plural = _("Forumswahlen")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first_wish=models.F("second_wish")), name="two_different_workshop_wishes"
            )
        ]

    def __str__(self):
        return f"{self.registration}: {self.first_wish} / {self.second_wish}"


# The Planungspapier's Wagtail pages live in their own module; importing them here registers them with Django.
from .pages import PlanningPaperIndexPage, PlanningPaperPage  # noqa: E402, F401
