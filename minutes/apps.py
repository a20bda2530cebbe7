from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "minutes"
    verbose_name = _("Protokolle")

    def ready(self):
        from forum.search import register_search_source
        from network.freshness import body_sections_show

        from . import privacy, search  # noqa: F401 - privacy registers the minutes' part of the data download
        from .models import Minutes, Task

        # The forum's search page lists published minutes too; the forum itself must not import this app.
        register_search_source(search.search_minutes)
        # A body's page shows the public summaries and, to its members, the open tasks.
        body_sections_show(Minutes, Task)
