from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Mitteilungen")

    def ready(self):
        from . import privacy  # noqa: F401
