from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from forum.selectors import forum_of_body
from network import access
from network import permissions as network_permissions
from network.freshness import body_sections_stamp, network_stamp
from network.models import District, NetworkBody
from network.panels import body_panels
from network.selectors import members_of, pending_join_request

from .blocks import ContentStreamBlock
from .forms import EventRegistrationForm
from .freshness import pages_stamp
from .serving import OneQueryViewRestrictions, SiteRootRouting

# As many body cards as the home page shows; the network index shows them all.
HOME_PAGE_BODIES = 24

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(SiteRootRouting, OneQueryViewRestrictions, Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(ContentStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.NetworkIndexPage",
        "cms.FormatIndexPage",
        "cms.NewsIndexPage",
        "cms.EventIndexPage",
        "cms.StandardPage",
        "newsletter.NewsletterArchivePage",
        "planning.PlanningPaperIndexPage",
        "surveys.SurveyIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("Startseite")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The template renders these lists from a cached fragment and reads them only when it is stale
        # (cms.freshness). The minute in the key lets a past event leave "Nächste Termine" in time.
        context["fragment_key"] = (pages_stamp(), timezone.now().strftime("%Y%m%d%H%M"))
        # public() reads the view restrictions as soon as it is called, hence lazy lists.
        context["news"] = SimpleLazyObject(lambda: list(NewsPage.objects.live().public().order_by("-date")[:3]))
        context["events"] = SimpleLazyObject(
            lambda: list(EventPage.objects.live().public().upcoming().order_by("start")[:3])
        )
        # A sample, not the directory: the network index lists every body by Themenfeld.
        context["body_pages"] = SimpleLazyObject(
            lambda: list(
                NetworkBodyPage.objects.live()
                .public()
                .select_related("body", "body__themenfeld")
                .order_by("title")[:HOME_PAGE_BODIES]
            )
        )
        context["format_index"] = SimpleLazyObject(lambda: FormatIndexPage.objects.live().first())
        return context


class StandardPage(Page):
    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")


class NetworkIndexPage(OneQueryViewRestrictions, Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NetworkBodyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Übersicht der Netzwerkgremien")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["body_pages"] = (
            NetworkBodyPage.objects.child_of(self)
            .live()
            .select_related("body", "body__themenfeld")
            .order_by("body__themenfeld__sort_order", "body__themenfeld__name", "body__kind", "title")
        )
        return context


class NetworkBodyPage(OneQueryViewRestrictions, Page):
    """The public face of one network body; created automatically with the body."""

    # SET_NULL only so the delete can proceed: cms.signals removes the page itself through Wagtail's tree API.
    body = models.OneToOneField(
        NetworkBody, verbose_name=_("Gremium"), null=True, on_delete=models.SET_NULL, related_name="page"
    )
    intro = models.TextField(_("Kurzbeschreibung"), blank=True)
    content = StreamField(ContentStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("intro"), FieldPanel("content")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("content")]
    parent_page_types = ["cms.NetworkIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Gremienseite")

    def load_for_route_cache(self):
        """The body with its Themenfeld in one query: the page, the panels and the sections all read it. Kept with
        the page in the route cache (cms.serving), whose pages stamp a saved body or Themenfeld renews too."""
        if self.body_id is not None:
            self.body = NetworkBody.objects.select_related("themenfeld").get(pk=self.body_id)

    def get_context(self, request, *args, **kwargs):
        if not NetworkBodyPage.body.is_cached(self):
            self.load_for_route_cache()
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        minute = timezone.now().strftime("%Y%m%d%H%M")
        # Breadcrumbs and the events list are cached fragments (cms.freshness); the querysets stay lazy.
        context["fragment_key"] = (pages_stamp(), minute)
        # public() reads the view restrictions when it is called: lazy, so a cached fragment costs nothing.
        context["next_meetings"] = SimpleLazyObject(
            lambda: list(
                EventPage.objects.live().public().filter(network_body=self.body).upcoming().order_by("start")[:3]
            )
        )
        context["is_member"] = access.is_member(user, self.body)
        context["can_join"] = network_permissions.can_join_body(user, self.body)
        context["can_moderate"] = access.can_moderate_body(user, self.body)
        context["join_request_pending"] = SimpleLazyObject(lambda: pending_join_request(user, self.body))
        context["sections_key"] = self.sections_key(request, minute)
        # What the sections read, only when their fragment is rendered afresh.
        context["can_see_members"] = access.can_see_body_internals(user, self.body)
        context["memberships"] = SimpleLazyObject(lambda: list(members_of(self.body)))
        # The one question the CMS asks the forum (ARCHITECTURE.md, "cms and forum").
        context["forum"] = SimpleLazyObject(lambda: forum_of_body(self.body, user))
        context["body_panels"] = SimpleLazyObject(lambda: body_panels(self.body, user))
        return context

    def sections_key(self, request, minute):
        """The key of the page's cached sections (meetings, minutes, documents, forum, members, panels): the
        stamps of everything they show (pages and bodies; memberships and people; the apps' rows through
        network.freshness.body_sections_stamp), the minute (meetings and phases pass with time) and what decides
        what the reader may see. A signed-in reader's sections hold forms (an open task's "erledigt"), hence
        their own CSRF secret and the path those forms return to; a visitor's hold no form and are shared."""
        user = request.user
        key = [pages_stamp(), network_stamp(), body_sections_stamp(), minute, access.visibility_key(user)]
        if user.is_authenticated:
            get_token(request)  # draws the secret now if the reader has none yet, so the key holds it
            key += [request.META["CSRF_COOKIE"], request.get_full_path()]
        return ":".join(key)


class FormatIndexPage(Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.FormatPage"]

    class Meta:
        verbose_name = _("Übersicht der Formate")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        formats = FormatPage.objects.child_of(self).live().order_by("category", "title")
        context["groups"] = [
            (label, [page for page in formats if page.category == value])
            for value, label in FormatPage.Category.choices
        ]
        return context


class FormatPage(Page):
    """A participation or volunteering format with the card of the Sozialraumkonzept."""

    class Category(models.TextChoices):
        BETEILIGUNG = "beteiligung", _("Beteiligung")
        ENGAGEMENT = "engagement", _("Freiwilliges Engagement")

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        PLANNED = "planned", _("in Planung")

    category = models.CharField(_("Bereich"), max_length=20, choices=Category.choices)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    since_year = models.PositiveSmallIntegerField(_("seit (Jahr)"), null=True, blank=True)
    gegenstandsbereich = RichTextField(_("Gegenstandsbereich"), features=RICH_TEXT_FEATURES)
    zielgruppe = RichTextField(_("Zielgruppe"), features=RICH_TEXT_FEATURES)
    zielsetzung = RichTextField(_("Zielsetzung"), features=RICH_TEXT_FEATURES)
    umsetzung = RichTextField(_("Umsetzung"), blank=True, features=RICH_TEXT_FEATURES)
    ergebnisse = RichTextField(
        _("Ergebnisse / Bisherige Überlegungen"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Bei Formaten in Planung als „Bisherige Überlegungen“ überschrieben."),
    )
    kontakt = models.TextField(
        _("Kontakt"), blank=True, help_text=_("Funktionale Kontaktangaben, keine Privatpersonen.")
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("status"), FieldPanel("since_year")], heading=_("Einordnung")
        ),
        FieldPanel("gegenstandsbereich"),
        FieldPanel("zielgruppe"),
        FieldPanel("zielsetzung"),
        FieldPanel("umsetzung"),
        FieldPanel("ergebnisse"),
        FieldPanel("kontakt"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("gegenstandsbereich"),
        index.SearchField("zielgruppe"),
        index.SearchField("zielsetzung"),
        index.SearchField("umsetzung"),
        index.SearchField("ergebnisse"),
        index.FilterField("category"),
    ]
    parent_page_types = ["cms.FormatIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Format")
        verbose_name_plural = _("Formate")

    def clean(self):
        super().clean()
        if self.status == self.Status.ACTIVE and not self.since_year:
            raise ValidationError({"since_year": _("Bei aktiven Formaten bitte das Startjahr angeben.")})

    @property
    def status_label(self):
        if self.status == self.Status.PLANNED:
            return _("in Planung")
        return _("seit %(year)s") % {"year": self.since_year}

    @property
    def results_heading(self):
        return _("Bisherige Überlegungen") if self.status == self.Status.PLANNED else _("Ergebnisse")


class NewsIndexPage(Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]

    class Meta:
        verbose_name = _("Nachrichtenübersicht")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = NewsPage.objects.child_of(self).live().order_by("-date")
        return context


class NewsPage(Page):
    date = models.DateField(_("Datum"), default=timezone.localdate)
    intro = models.TextField(_("Teaser"), max_length=400)
    body = StreamField(ContentStreamBlock(), verbose_name=_("Inhalt"), blank=True)
    network_body = models.ForeignKey(
        NetworkBody, verbose_name=_("Gremium"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("network_body"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")


class EventIndexPage(Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]

    class Meta:
        verbose_name = _("Terminübersicht")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.child_of(self).live().select_related("network_body")
        context["upcoming"] = events.upcoming().order_by("start")
        context["past"] = events.filter(start__lt=timezone.now()).order_by("-start")[:10]
        return context


class EventPageQuerySet(PageQuerySet):
    def upcoming(self):
        return self.filter(start__gte=timezone.now())


class EventPage(OneQueryViewRestrictions, Page):
    """A meeting of a body or the yearly Sozialraumkonferenz; people may register to attend."""

    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=200)
    network_body = models.ForeignKey(
        NetworkBody,
        verbose_name=_("Gremium"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Für Sitzungen eines Gremiums; erscheint dann auf dessen Seite."),
    )
    is_conference = models.BooleanField(_("Sozialraumkonferenz"), default=False)
    district = models.ForeignKey(
        District,
        verbose_name=_("Quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Für Termine in einem Quartier oder über eines; leer für die ganze Stadt."),
    )
    intro = models.TextField(_("Kurzbeschreibung"), max_length=500)
    body = StreamField(ContentStreamBlock(), verbose_name=_("Inhalt"), blank=True)
    registration_open = models.BooleanField(_("Anmeldung möglich"), default=False)
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("Plätze"), null=True, blank=True, help_text=_("Leer: unbegrenzt"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("start"),
                FieldPanel("end"),
                FieldPanel("location"),
                FieldPanel("network_body"),
                FieldPanel("district"),
                FieldPanel("is_conference"),
            ],
            heading=_("Termin"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("registration_open"), FieldPanel("registration_deadline"), FieldPanel("capacity")],
            heading=_("Anmeldung"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("location"),
        index.FilterField("start"),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(EventPageQuerySet)()

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("Das Ende liegt vor dem Beginn.")})

    def confirmed_registrations(self):
        return self.registrations.filter(status=EventRegistration.Status.CONFIRMED)

    @property
    def seats_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_registrations().count(), 0)

    def registration_closed_reason(self):
        """None while people may still register, otherwise the German reason shown on the page."""
        now = timezone.now()
        if not self.registration_open:
            return _("Für diesen Termin ist keine Anmeldung vorgesehen.")
        if self.start <= now or (self.registration_deadline and self.registration_deadline <= now):
            return _("Die Anmeldefrist ist abgelaufen.")
        # A full event still takes registrations: they go to the waiting list (services.register_attendee).
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["registration_form"] = kwargs.get("registration_form") or EventRegistrationForm(user=request.user)
        context["closed_reason"] = self.registration_closed_reason()
        context["own_registration"] = (
            self.registrations.exclude(status=EventRegistration.Status.CANCELLED)
            .filter(email__iexact=request.user.email)
            .first()
            if request.user.is_authenticated
            else None
        )
        return context


class EventRegistration(models.Model):
    """An attendee of an event; the newsletter can address the attendees of an event later.

    A registration beyond the capacity waits (`WAITLISTED`) and moves up, oldest first, when a
    confirmed attendee cancels (cms.services). Cancelled rows stay, so the list shows who withdrew."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("angemeldet")
        WAITLISTED = "waitlisted", _("auf der Warteliste")
        CANCELLED = "cancelled", _("storniert")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(_("Name"), max_length=120)
    email = models.EmailField(_("E-Mail-Adresse"))
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    remarks = models.TextField(_("Hinweise (z. B. Barrierefreiheit, Verpflegung)"), max_length=1000, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    # The place in the queue: a registration taken back up after a cancellation queues anew.
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(_("Storniert am"), null=True, blank=True)
    cancelled_by_organiser = models.BooleanField(_("Von der Organisation storniert"), default=False)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(Lower("email"), "event", name="one_registration_per_email")]

    def __str__(self):
        return f"{self.name} – {self.event}"


@register_setting(icon="list-ul")
class SiteLinks(BaseSiteSetting):
    """Legal pages every page footer and every newsletter links to."""

    impressum = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Impressum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Datenschutzerklärung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Erklärung zur Barrierefreiheit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Any page type: the newsletter archive lives in an app above cms, which must not import it.
    newsletter = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Newsletter-Anmeldung und Archiv"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Im Fußbereich jeder Seite und auf der Startseite verlinkt."),
    )

    panels = [FieldPanel("impressum"), FieldPanel("privacy"), FieldPanel("accessibility"), FieldPanel("newsletter")]

    class Meta:
        verbose_name = _("Rechtliche Seiten")
