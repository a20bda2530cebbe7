import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storages import private_storage

from .geojson import validate_outline

# Profile pictures: only raster formats a browser shows as pictures (Pillow checks the content).
AVATAR_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def avatar_extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("approval", User.Approval.APPROVED)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. The profile lives here: one row, no join on every member list."""

    class Approval(models.TextChoices):
        PENDING = "pending", _("wartet auf Freigabe")
        APPROVED = "approved", _("freigegeben")
        DECLINED = "declined", _("abgelehnt")

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("sofort")
        DAILY = "daily", _("täglich als Zusammenfassung")
        WEEKLY = "weekly", _("wöchentlich als Zusammenfassung")
        NEVER = "never", _("keine E-Mails")

    username = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    display_name = models.CharField(_("Anzeigename"), max_length=80, blank=True)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("Organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    job_title = models.CharField(_("Funktion"), max_length=120, blank=True)
    bio = models.TextField(_("Kurzvorstellung"), max_length=1000, blank=True)
    avatar = models.ImageField(_("Profilbild"), upload_to="avatars/", blank=True, storage=private_storage)
    approval = models.CharField(
        _("Freigabe"), max_length=10, choices=Approval.choices, default=Approval.PENDING, db_index=True
    )
    approved_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    notify_by_email = models.CharField(
        _("Benachrichtigungen per E-Mail"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    notify_on_mention = models.BooleanField(_("bei Erwähnungen"), default=True)
    notify_on_reply = models.BooleanField(_("bei Antworten auf meine Beiträge"), default=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    # Filled per request by network.access (roles asked on nearly every page); declared for the type checker only.
    _memberships_cache: dict[int, str]
    _group_names_cache: set[str]

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["display_name", "email"]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.get_full_name() or self.email.split("@")[0]

    def get_short_name(self):
        return self.public_name

    @property
    def is_professional(self):
        return self.is_active and self.approval == self.Approval.APPROVED


class Themenfeld(models.Model):
    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class District(models.Model):
    """A Quartier: the unit of the Sozialmonitoring; organisations, proposals and events name theirs."""

    name = models.CharField(
        _("Name"),
        max_length=120,
        unique=True,
        error_messages={"unique": _("Ein Quartier dieses Namens gibt es schon.")},
    )
    slug = models.SlugField(
        max_length=120, unique=True, error_messages={"unique": _("Diesen Kurznamen trägt schon ein anderes Quartier.")}
    )
    description = models.TextField(_("Kurzbeschreibung"), max_length=2_000, blank=True)
    # A Polygon or MultiPolygon in WGS 84 (network.geojson); empty while nobody has drawn it yet.
    outline = models.JSONField(_("Umrisse (GeoJSON)"), null=True, blank=True, validators=[validate_outline])
    outline_is_approximate = models.BooleanField(
        _("Umrisse nur ungefähr"),
        default=False,
        help_text=_("Für skizzierte Umrisse, die keine amtliche Grenze sind: die Karte sagt es dann dazu."),
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Quartier")
        verbose_name_plural = _("Quartiere")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:district_detail", args=[self.slug])


class Organisation(models.Model):
    class Kind(models.TextChoices):
        TRAEGER = "traeger", _("Träger")
        KITA = "kita", _("Kita")
        SCHULE = "schule", _("Schule")
        BERATUNG = "beratung", _("Beratungsstelle")
        JUGEND = "jugend", _("Jugendfreizeiteinrichtung")
        VEREIN = "verein", _("Verein")
        PFLEGE = "pflege", _("Pflege und Gesundheit")
        VERWALTUNG = "verwaltung", _("Verwaltung")
        SELBSTHILFE = "selbsthilfe", _("Selbsthilfegruppe")
        SONSTIGE = "sonstige", _("Sonstige Einrichtung")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.TRAEGER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Träger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilities",
        help_text=_("Für Einrichtungen: der Träger, zu dem sie gehören."),
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, default="Teltow")
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("Funktionale E-Mail-Adresse"), blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    districts = models.ManyToManyField(
        District,
        verbose_name=_("Quartiere"),
        blank=True,
        related_name="organisations",
        help_text=_("Wo die Organisation arbeitet: ihr Sitz und die Quartiere, für die sie zuständig ist."),
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:organisation_detail", args=[self.slug])

    @property
    def address(self):
        return ", ".join(part for part in [self.street, f"{self.postcode} {self.city}".strip()] if part)


class ApprovedDomain(models.Model):
    """E-mail domains of known organisations: sign-ups from them are approved at once."""

    domain = models.CharField(_("Domain"), max_length=253, unique=True, help_text=_("z. B. kita-teltow.example.org"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Organisation"), null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("freigegebene E-Mail-Domain")
        verbose_name_plural = _("freigegebene E-Mail-Domains")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    @staticmethod
    def normalize(domain):
        return domain.strip().lower().lstrip("@")

    def clean(self):
        # The form's unique check comes after this and must see the domain as save() stores it:
        # "Kita.example.org" next to "kita.example.org" was a server error, "@" an empty domain.
        super().clean()
        self.domain = self.normalize(self.domain)
        if not self.domain:
            raise ValidationError({"domain": _("Bitte eine Domain angeben, z. B. kita-teltow.example.org.")})

    def save(self, *args, **kwargs):
        self.domain = self.normalize(self.domain)
        super().save(*args, **kwargs)


_public_page_finders = []
_public_pages_finders = []


def add_public_page_finder(finder, many=None):
    """Let the CMS, which gives each body its public page, name that page: `finder(body)` returns its URL
    or None; `many(bodies)`, where given, returns {body pk: URL} for a whole list in one query. The network
    cannot import the CMS, so it asks this way."""
    _public_page_finders.append(finder)
    if many is not None:
        _public_pages_finders.append(many)


def public_urls(bodies):
    """{body pk: its canonical URL} for a list of bodies, as get_absolute_url gives each, in a query or two."""
    urls = {}
    for many in _public_pages_finders:
        for pk, url in many([body for body in bodies if body.pk not in urls]).items():
            urls.setdefault(pk, url)
    return {body.pk: urls.get(body.pk) or reverse("network:body_detail", args=[body.slug]) for body in bodies}


class NetworkBody(models.Model):
    class Kind(models.TextChoices):
        FOKUSGRUPPE = "fokusgruppe", _("Fokusgruppe")
        LENKUNGSRUNDE = "lenkungsrunde", _("Lenkungsrunde")
        KONFERENZ = "konferenz", _("Sozialraumkonferenz")
        ARBEITSGRUPPE = "arbeitsgruppe", _("Arbeitsgruppe")
        BEIRAT = "beirat", _("Beirat")

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        PLANNED = "planned", _("in Planung")

    class Visibility(models.TextChoices):
        PROFESSIONALS = "professionals", _("offen für alle Fachkräfte")
        MEMBERS = "members", _("nur für Mitglieder")

    name = models.CharField(_("Name"), max_length=160, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=40, blank=True)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.FOKUSGRUPPE)
    themenfeld = models.ForeignKey(
        Themenfeld,
        verbose_name=_("Themenfeld"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bodies",
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    visibility = models.CharField(
        _("Sichtbarkeit der internen Inhalte"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PROFESSIONALS,
    )
    purpose = models.TextField(_("Zweck"), blank=True)
    contact = models.CharField(
        _("Kontakt der Moderation"),
        max_length=200,
        blank=True,
        help_text=_("Funktionale Kontaktangabe, z. B. „Sachgebiet Soziales und Sport, soziales@example.org“."),
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="bodies")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Netzwerkgremium")
        verbose_name_plural = _("Netzwerkgremien")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The body's one canonical page: its public page in the CMS where it has one, else the network's
        own (which then redirects there, so that no body has two pages)."""
        for finder in _public_page_finders:
            if url := finder(self):
                return url
        return reverse("network:body_detail", args=[self.slug])

    @property
    def is_members_only(self):
        return self.visibility == self.Visibility.MEMBERS


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        MODERATOR = "moderator", _("Moderation")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    body = models.ForeignKey(NetworkBody, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("Mitglied seit"), default=timezone.localdate)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [models.UniqueConstraint(fields=["user", "body"], name="unique_membership")]
        ordering = ["body", "-role", "user__display_name"]

    def __str__(self):
        return f"{self.user} – {self.body} ({self.get_role_display()})"


class MembershipChange(models.Model):
    """That somebody joined or left a body, and when: memberships are deleted on leaving, and the yearly
    report counts both. Deliberately without the person, so nothing here outlives a deleted account."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("eingetreten")
        LEFT = "left", _("ausgetreten")

    body = models.ForeignKey(NetworkBody, on_delete=models.CASCADE, related_name="membership_changes")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    on = models.DateField(default=timezone.localdate, db_index=True)

    class Meta:
        verbose_name = _("Ein- oder Austritt")
        verbose_name_plural = _("Ein- und Austritte")


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    body = models.ForeignKey(NetworkBody, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("Nachricht an die Moderation"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrittsanfrage")
        verbose_name_plural = _("Beitrittsanfragen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.body}"


def default_invitation_expiry():
    return timezone.now() + timedelta(days=settings.NETWORK_INVITATION_DAYS)


def new_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")
        REVOKED = "revoked", _("zurückgenommen")

    body = models.ForeignKey(NetworkBody, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"))
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "body",
                condition=models.Q(status="pending"),
                name="one_pending_invitation",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.body}"

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    def get_absolute_url(self):
        return reverse("network:invitation", args=[self.token])
