"""The Planungspapier as Wagtail pages: one index below the home page, one paper per planning year.

Django finds these models through `planning.models`, which imports this module at its end; so this
module names the planning year by its label and reads the year's data only in the templates
(`{% planning_paper %}` in `planning.templatetags.planning_paper`), never by importing the models.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import TEXT_FEATURES, PaperStreamBlock


class PlanningPaperIndexPage(Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["planning.PlanningPaperPage"]
    max_count = 1
    template = "planning/paper/index_page.html"

    class Meta:
        verbose_name = _("Übersicht der Planungspapiere")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["papers"] = (
            PlanningPaperPage.objects.child_of(self)
            .live()
            .public()
            .select_related("planning_year")
            .order_by("-planning_year__year")
        )
        return context


class PlanningPaperPage(Page):
    planning_year = models.ForeignKey(
        "planning.PlanningYear",
        verbose_name=_("Planungsjahr"),
        on_delete=models.PROTECT,
        related_name="paper_pages",
    )
    subtitle = models.CharField(
        _("Untertitel"), max_length=250, blank=True, help_text=_("z. B. „Vorlage für die Stadtverordnetenversammlung“")
    )
    body = StreamField(PaperStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("planning_year"), FieldPanel("subtitle"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("subtitle"), index.SearchField("body")]
    parent_page_types = ["planning.PlanningPaperIndexPage"]
    subpage_types = []
    template = "planning/paper/paper_page.html"

    class Meta:
        verbose_name = _("Planungspapier")
        verbose_name_plural = _("Planungspapiere")

    def clean(self):
        super().clean()
        if not self.planning_year_id:
            return
        others = PlanningPaperPage.objects.filter(planning_year_id=self.planning_year_id).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError({"planning_year": _("Für dieses Planungsjahr gibt es schon ein Planungspapier.")})

    @property
    def pdf_url(self) -> str:
        return reverse("planning:paper_pdf", args=[self.pk])
