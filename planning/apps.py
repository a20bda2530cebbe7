from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Sozialplanung")

    def ready(self):
        from wagtail.signals import page_published

        from network.panels import add_body_panel_source

        from . import panels, paper, privacy  # noqa: F401

        add_body_panel_source(panels.current_phase_panel)
        page_published.connect(paper.on_page_published, dispatch_uid="planning-paper-published")
