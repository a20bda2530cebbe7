from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Sozialplanung")

    def ready(self):
        from . import privacy  # noqa: F401
