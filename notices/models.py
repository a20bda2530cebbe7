from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """One in-app message to one person: what happened, in plain text, and the site path that shows it.

    Title and text are stored as written when the event happened (in the language then active, German),
    so a notice keeps saying what it said even after the thing it points to changes."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Empfänger"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("Art"), max_length=40)
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Text"), max_length=2000, blank=True)
    # A path on this site ("/sozialplanung/2026/"), never a full address: opening a notice redirects there.
    url = models.CharField(_("Ziel"), max_length=500)
    created_at = models.DateTimeField(_("erstellt am"), default=timezone.now)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mitteilung")
        verbose_name_plural = _("Mitteilungen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list of a person's notices, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notice_recipient_newest"),
            # The badge: how many of a person's notices are unread (a partial index stays small).
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notice_unread"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class OptOut(models.Model):
    """A kind of notice a person switched off in the profile: neither a notice nor a mail of that kind."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_opt_outs")
    kind = models.CharField(_("Art"), max_length=40)

    class Meta:
        verbose_name = _("abbestellte Mitteilungsart")
        verbose_name_plural = _("abbestellte Mitteilungsarten")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]
