"""The yearly report (Jahresbericht): the coordination's texts around figures the platform counts itself."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AnnualReport(models.Model):
    year = models.PositiveSmallIntegerField(_("Jahr"), unique=True)
    introduction = models.TextField(_("Einleitung"), max_length=10_000, blank=True)
    outlook = models.TextField(_("Ausblick"), max_length=10_000, blank=True)
    # Frozen when the report is published, so that what was reported stays what it said
    # (later deletions or late entries do not change a published report).
    figures = models.JSONField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Jahresbericht")
        verbose_name_plural = _("Jahresberichte")
        ordering = ["-year"]

    def __str__(self):
        return f"Jahresbericht {self.year}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.year])

    @property
    def is_published(self):
        return self.published_at is not None
