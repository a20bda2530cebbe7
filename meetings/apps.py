from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Sitzungen")

    def ready(self):
        # privacy: the meetings' part of the data download and deletion; signals: membership follows the work.
        from . import privacy, signals  # noqa: F401
