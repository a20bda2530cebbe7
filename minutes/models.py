"""Minutes of a meeting: the text, who was there, decisions and tasks, and every version of them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 50_000
MAX_SUMMARY = 3_000


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        VOTING = "voting", _("zur Abstimmung")
        APPROVED = "approved", _("freigegeben")
        PUBLISHED = "published", _("veröffentlicht")

    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField(_("Protokoll"), max_length=MAX_TEXT, blank=True)
    html = models.TextField(editable=False, blank=True)
    public_summary = models.TextField(_("Öffentliche Zusammenfassung"), max_length=MAX_SUMMARY, blank=True)
    public_summary_html = models.TextField(editable=False, blank=True)
    present = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("Anwesend"), blank=True, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Protokollführung"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="minutes_written",
    )
    # The comment thread while the minutes are "zur Abstimmung" lives in the body's forum.
    discussion = models.ForeignKey(
        "forum.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("Anlagen aus der Ablage"), blank=True, related_name="minutes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Protokoll")
        verbose_name_plural = _("Protokolle")
        ordering = ["-meeting__start"]

    def __str__(self):
        return str(self.meeting)

    def get_absolute_url(self):
        return reverse("minutes:detail", args=[self.pk])

    @property
    def body(self):
        return self.meeting.body

    @property
    def is_frozen(self):
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)


class Decision(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("Beschluss"), max_length=1000)

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["minutes", "position", "pk"]

    def __str__(self):
        return self.text


class Task(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    what = models.CharField(_("Aufgabe"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Wer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="minutes_tasks",
    )
    due_date = models.DateField(_("Bis wann"))
    done = models.BooleanField(_("erledigt"), default=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due_date", "position", "pk"]

    def __str__(self):
        return self.what


class Revision(models.Model):
    """One state of the minutes after a change: who, when, what changed, and the whole content then."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    change = models.CharField(_("Änderung"), max_length=200)
    status = models.CharField(max_length=10, choices=Minutes.Status.choices)
    text = models.TextField(blank=True)
    public_summary = models.TextField(blank=True)
    # Names, not ids: a version keeps reading the same after an account is gone.
    present = models.JSONField(default=list)
    decisions = models.JSONField(default=list)
    tasks = models.JSONField(default=list)

    class Meta:
        verbose_name = _("Version")
        verbose_name_plural = _("Versionen")
        ordering = ["minutes", "-number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="one_revision_number_per_minutes")]

    def __str__(self):
        return f"{self.minutes} – {self.number}"
