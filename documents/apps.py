from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Ablage")

    def ready(self):
        from network.freshness import body_sections_show

        from . import privacy  # noqa: F401 - registers the libraries' part of the data download
        from .models import Document, DocumentVersion

        # A body's page lists its newest documents with their current version.
        body_sections_show(Document, DocumentVersion)
