from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Sozialmonitoring")

    def ready(self):
        from network.panels import add_district_panel_source

        from . import panels

        add_district_panel_source(panels.district_indicators_panel)
