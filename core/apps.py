from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from .converters import IdConverter, YearConverter


class CoreConfig(AppConfig):
    """The kernel every app may import: permission base, mail sending, ids, privacy registry."""

    name = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        # Before any urls.py is imported (the resolver loads them at the first request).
        register_converter(IdConverter, "id")
        register_converter(YearConverter, "year")
