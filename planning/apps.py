from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Sozialplanung")

    def ready(self):
        from network.panels import add_body_panel_source, add_district_panel_source

        from . import panels, privacy  # noqa: F401

        add_body_panel_source(panels.current_phase_panel)
        add_district_panel_source(panels.district_proposals_panel)
