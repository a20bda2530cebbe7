from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Seiten")

    def ready(self):
        from meetings import sources

        from . import calendar_events, navigation, privacy, signals  # noqa: F401

        sources.register(calendar_events.public_events)
