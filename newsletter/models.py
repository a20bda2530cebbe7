import hashlib
from email.utils import formataddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.freshness import pages_stamp
from cms.serving import OneQueryViewRestrictions
from network import access

from .blocks import NewsletterStreamBlock
from .edition_content import invalid_forum_topics

DEFAULT_CONSENT_TEXT = _(
    "Ich möchte den Newsletter „%(name)s“ per E-Mail erhalten. Meine E-Mail-Adresse wird nur für den Versand "
    "dieses Newsletters verwendet. Ich kann die Einwilligung jederzeit über den Abmeldelink in jeder Ausgabe "
    "widerrufen."
)


def consent_version_of(text):
    # Derived from the text itself, so an edited text can never be stored under an old version.
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class Newsletter(models.Model):
    """A mailing list. Editions belong to one list; people subscribe to lists."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=60, unique=True, help_text=_("Erscheint in der List-Id."))
    description = models.TextField(_("Beschreibung"), blank=True)
    sender_name = models.CharField(_("Absendername"), max_length=120)
    sender_email = models.EmailField(_("Absendeadresse"))
    reply_to = models.EmailField(_("Antwortadresse"), blank=True)
    public_subscribe = models.BooleanField(
        _("öffentlich"),
        default=False,
        help_text=_("Alle dürfen sich anmelden, versendete Ausgaben erscheinen im öffentlichen Archiv."),
    )
    consent_text = models.TextField(
        _("Einwilligungstext"),
        blank=True,
        help_text=_(
            "Leer: Standardtext. Jede Änderung ergibt eine neue Version, die mit jeder Einwilligung gespeichert wird."
        ),
    )

    class Meta:
        verbose_name = _("Newsletter")
        verbose_name_plural = _("Newsletter")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def effective_consent_text(self):
        return self.consent_text or str(DEFAULT_CONSENT_TEXT) % {"name": self.name}

    @property
    def consent_version(self):
        return consent_version_of(self.effective_consent_text)

    @property
    def sender(self):
        return formataddr((self.sender_name, self.sender_email))


class Subscriber(models.Model):
    """One e-mail address; a hard bounce suspends it for every list."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        BOUNCED = "bounced", _("unzustellbar")

    email = models.EmailField(_("E-Mail-Adresse"))
    # Only for addresses without an account (imported lists); an account's public name takes precedence.
    name = models.CharField(_("Name"), max_length=160, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscribers",
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    bounced_at = models.DateTimeField(_("unzustellbar seit"), null=True, blank=True)
    bounce_reason = models.TextField(_("Antwort des Mailservers"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Empfängeradresse")
        verbose_name_plural = _("Empfängeradressen")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_subscriber_email")]

    def __str__(self):
        return self.email


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("unbestätigt")
        CONFIRMED = "confirmed", _("bestätigt")
        UNSUBSCRIBED = "unsubscribed", _("abgemeldet")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    soft_bounces = models.PositiveSmallIntegerField(_("vorübergehende Zustellfehler"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [models.UniqueConstraint(fields=["subscriber", "newsletter"], name="one_subscription_per_list")]

    def __str__(self):
        return f"{self.subscriber} → {self.newsletter}"


class ConsentRecord(models.Model):
    """Proof of consent (GDPR Art. 7(1)): who agreed to what text, when, where, and when it ended."""

    class Source(models.TextChoices):
        FORM = "form", _("Anmeldeformular")
        ACCOUNT = "account", _("angemeldetes Konto")
        IMPORT = "import", _("Import")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="consents")
    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices)
    source_detail = models.CharField(
        _("Herkunft"), max_length=500, blank=True, help_text=_("Adresse des Formulars oder Beschreibung des Imports.")
    )
    consent_text = models.TextField(_("Einwilligungstext"))
    consent_version = models.CharField(_("Version des Textes"), max_length=20)
    ip_address = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    given_at = models.DateTimeField(_("erteilt am"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(_("Bestätigungsmail gesendet am"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.subscription} ({self.given_at:%Y-%m-%d})"


ARCHIVE_PAGE_SIZE = 20


class NewsletterArchivePage(OneQueryViewRestrictions, Page):
    """Public archive of sent editions; also the target of every „Im Browser ansehen“ link."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["newsletter.NewsletterEdition"]
    max_count = 1

    class Meta:
        verbose_name = _("Newsletter-Archiv")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Paged: an archive of years of editions would otherwise grow with every send.
        editions = Paginator(NewsletterEdition.archived_for(request.user, parent=self), ARCHIVE_PAGE_SIZE)
        context["editions"] = SimpleLazyObject(lambda: editions.get_page(request.GET.get("seite")))
        context["public_newsletters"] = Newsletter.objects.filter(public_subscribe=True)
        # The list is a cached fragment. Its key: the pages' stamp (an edition published, renamed or removed;
        # a newsletter renamed, see newsletter.signals), which sends count as sent (a send that starts, is
        # paused or resumes changes their number or the sum of their editions), who reads, and the query.
        sent = Send.objects.filter(status__in=[Send.Status.RUNNING, Send.Status.DONE]).aggregate(
            count=Count("pk"), editions=Sum("edition_id")
        )
        audience = "internal" if access.is_professional(request.user) or access.is_editor(request.user) else "public"
        context["fragment_key"] = (pages_stamp(), sent["count"], sent["editions"], audience, request.GET.urlencode())
        return context


class NewsletterEdition(Page):
    newsletter = models.ForeignKey(
        Newsletter, verbose_name=_("Newsletter"), on_delete=models.PROTECT, related_name="editions"
    )
    subject = models.CharField(_("Betreff"), max_length=200)
    preheader = models.CharField(
        _("Vorschautext"), max_length=200, blank=True, help_text=_("Zeigen viele Mailprogramme neben dem Betreff an.")
    )
    body = StreamField(NewsletterStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("newsletter"), FieldPanel("subject"), FieldPanel("preheader")], heading=_("Versand")
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["newsletter.NewsletterArchivePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Newsletter-Ausgabe")
        verbose_name_plural = _("Newsletter-Ausgaben")

    @classmethod
    def sent(cls):
        return cls.objects.filter(
            pk__in=Send.objects.filter(status__in=[Send.Status.RUNNING, Send.Status.DONE]).values("edition_id")
        )

    @classmethod
    def archived_for(cls, user, parent=None):
        """The sent editions `user` may read in the archive, newest first."""
        editions = cls.sent().live().select_related("newsletter")
        if parent is not None:
            editions = editions.child_of(parent)
        if not (access.is_professional(user) or access.is_editor(user)):
            editions = editions.filter(newsletter__public_subscribe=True)
        return editions.order_by("-first_published_at")

    def is_visible_to(self, user):
        """Sent editions of public lists are public; the others only for professionals."""
        if not NewsletterEdition.sent().filter(pk=self.pk).exists():
            return access.is_editor(user)
        return self.newsletter.public_subscribe or access.is_professional(user) or access.is_editor(user)

    def previous_sent_at(self):
        """When the list's edition before this one went out, for "the most active topics since then"."""
        sends = Send.objects.filter(
            edition__newsletter_id=self.newsletter_id,
            started_at__isnull=False,
            status__in=[Send.Status.RUNNING, Send.Status.DONE],
        ).exclude(edition_id=self.pk)
        own_start = (
            None
            if self.pk is None
            else self.sends.filter(started_at__isnull=False)
            .order_by("started_at")
            .values_list("started_at", flat=True)
            .first()
        )
        if own_start is not None:
            sends = sends.filter(started_at__lt=own_start)
        return sends.order_by("-started_at").values_list("started_at", flat=True).first()

    def clean(self):
        super().clean()
        if self.newsletter_id:
            problems = invalid_forum_topics(self)
            if problems:
                raise ValidationError(problems)

    def serve(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False) and not self.is_visible_to(request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)


class Send(models.Model):
    """One dispatch of an edition to a frozen audience."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SCHEDULED = "scheduled", _("geplant")
        RUNNING = "running", _("läuft")
        PAUSED = "paused", _("angehalten")
        CANCELLED = "cancelled", _("abgebrochen")
        DONE = "done", _("abgeschlossen")

    edition = models.ForeignKey(NewsletterEdition, on_delete=models.PROTECT, related_name="sends")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    bodies = models.ManyToManyField(
        "network.NetworkBody", verbose_name=_("Mitglieder dieser Gremien"), blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "cms.EventPage",
        verbose_name=_("Angemeldete dieses Termins"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    all_professionals = models.BooleanField(_("alle Fachkräfte"), default=False)
    scheduled_at = models.DateTimeField(_("geplant für"), null=True, blank=True)
    rate_limit = models.FloatField(
        _("Nachrichten pro Sekunde"), null=True, blank=True, help_text=_("Leer: Voreinstellung; 0: unbegrenzt.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(_("gestartet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    status_reason = models.TextField(_("Grund"), blank=True)
    recipients_count = models.PositiveIntegerField(_("Empfänger"), default=0)
    sent_count = models.PositiveIntegerField(_("gesendet"), default=0)
    failed_count = models.PositiveIntegerField(_("fehlgeschlagen"), default=0)
    consecutive_errors = models.PositiveIntegerField(default=0)
    # Compiled once when the send starts, so workers never run MJML and later page edits can't change a running send.
    subject = models.CharField(max_length=200, blank=True)
    compiled_html = models.TextField(blank=True)
    compiled_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Versand")
        verbose_name_plural = _("Versände")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.edition} ({self.get_status_display()})"


class Delivery(models.Model):
    """One message of a send to one address; the row is the exactly-once ledger."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")
        SKIPPED = "skipped", _("übersprungen")
        BOUNCED = "bounced", _("unzustellbar")

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    name = models.CharField(max_length=160, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set when a bounce report (webhook or DSN) came in after the server had accepted the message.
    bounced_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [models.UniqueConstraint("send", Lower("email"), name="one_delivery_per_address")]
        indexes = [
            models.Index(fields=["send", "status"], name="delivery_send_status"),
            # Every batch looks for abandoned claims; without this that query reads the whole history of sends.
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="delivery_open_claims"),
            # Every claim looks for a send's first queued rows in id order. Without it, PostgreSQL walked past
            # the rows already sent (or counted every queued one) for each batch: a large list's claims got
            # slower as its send went on. Rows leave the index when claimed and enter it only when frozen or
            # given back, so it costs one entry per recipient.
            models.Index(fields=["send", "id"], condition=Q(status="queued"), name="delivery_queued"),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"
