from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Sitzungen")

    def ready(self):
        from . import privacy  # noqa: F401 - registers the meetings' part of the data download and deletion
        from . import signals  # noqa: F401 - membership follows the work (network.membership_events)
