from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every app may import: permission base, mail sending, ids, privacy registry."""

    name = "core"
    verbose_name = _("Grundlagen")
