from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Sozialplanung")

    def ready(self):
        from wagtail.signals import page_published

        from cms.registration_panels import add_registration_panel_source
        from network.freshness import body_sections_show
        from network.panels import add_body_panel_source, add_district_panel_source

        from . import announcements, panels, paper, privacy  # noqa: F401
        from .conference import panels as conference_panels
        from .models import Phase, PlanningYear

        add_body_panel_source(panels.current_phase_panel)
        # The panel on a body's page shows the newest year's current phase.
        body_sections_show(PlanningYear, Phase)
        announcements.register_notice_kinds()
        add_registration_panel_source(conference_panels.workshop_wish_panel)
        page_published.connect(paper.on_page_published, dispatch_uid="planning-paper-published")
        add_district_panel_source(panels.district_proposals_panel)
