"""A body's document library: documents in folders, each with its versions (the files).

Every file lies in the private storage under a random name; URLs carry random keys, never a number or
the file's name, so nobody reaches a file by guessing. `documents.permissions` says who may see what.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storages import private_storage
from core.uploads import INLINE_TYPES, TYPE_LABELS


def new_key():
    return secrets.token_urlsafe(16)


def version_path(instance, filename):
    # The uploader's file name never reaches the file system.
    return f"ablage/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Visibility(models.TextChoices):
    MEMBERS = "members", _("nur Mitglieder des Gremiums")
    NETWORK = "network", _("ganzes Netzwerk (freigegebene Fachkräfte)")
    PUBLIC = "public", _("öffentlich")


class Folder(models.Model):
    """One level of folders per body: enough to sort a library, never a maze."""

    body = models.ForeignKey("network.NetworkBody", on_delete=models.CASCADE, related_name="document_folders")
    name = models.CharField(_("Name"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Ordner")
        verbose_name_plural = _("Ordner")
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(Lower("name"), "body", name="one_folder_name_per_body"),
        ]

    def __str__(self):
        return self.name


class Document(models.Model):
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    body = models.ForeignKey("network.NetworkBody", on_delete=models.CASCADE, related_name="documents")
    folder = models.ForeignKey(
        Folder, verbose_name=_("Ordner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), max_length=2000, blank=True)
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    # The newest version, kept here so that lists need no subquery.
    current = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.key])


class DocumentVersion(models.Model):
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Version"))
    file = models.FileField(upload_to=version_path, storage=private_storage)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("Größe"))
    comment = models.CharField(_("Was ist neu?"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="uploaded_document_versions"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Version")
        verbose_name_plural = _("Versionen")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_version_number_per_document")]

    def __str__(self):
        return f"{self.document.title} (v{self.number})"

    def get_absolute_url(self):
        return reverse("documents:download", args=[self.key])

    @property
    def type_label(self):
        return TYPE_LABELS.get(self.extension, self.extension.upper())

    @property
    def is_inline(self):
        return self.content_type in INLINE_TYPES
