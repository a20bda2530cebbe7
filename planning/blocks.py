"""Blocks of the Planungspapier (planning.pages.PlanningPaperPage).

Editors write free sections (headings, rich text) and place generated blocks around them. A generated
block stores only its heading and an optional lead-in: what it lists is read when the paper renders
(`planning.paper.PaperContent`, handed to the block templates as `paper`), so the page always shows
the year's data as the coordination recorded it. Every block renders on the web page and in the PDF
from the same template; `anchor` (the block's id) ties it to the table of contents.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

# No headings inside the text: every heading is a block of its own, so it enters the table of contents.
TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class PaperHeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Ebene"), choices=[("h2", _("Kapitel")), ("h3", _("Unterabschnitt"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "planning/paper/blocks/heading.html"


class GeneratedBlock(blocks.StructBlock):
    """A heading and a lead-in the editors write; the rest comes from the planning year."""

    heading = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    intro = blocks.RichTextBlock(label=_("Einleitender Text"), features=TEXT_FEATURES, required=False)


class PrioritiesBlock(GeneratedBlock):
    class Meta:
        icon = "list-ol"
        label = _("Priorisierte Zielvorschläge (automatisch)")
        help_text = _(
            "Die festgelegte Prioritätenliste des Jahres in der Reihenfolge der Rangliste, je Vorschlag mit "
            "Themenfeld, Problem, Ziel, Maßnahmen, Kosten und Partnern."
        )
        template = "planning/paper/blocks/priorities.html"


class MethodBlock(GeneratedBlock):
    class Meta:
        icon = "cog"
        label = _("Bewertungsverfahren (automatisch)")
        help_text = _("Kriterien, Gewichte und Skalen des Jahres und wie die Rangliste berechnet wird.")
        template = "planning/paper/blocks/method.html"


class DecisionsBlock(GeneratedBlock):
    class Meta:
        icon = "tick-inverse"
        label = _("Beschlüsse der SVV (automatisch)")
        help_text = _("Je Vorschlag aus dem Planungspapier: Beschluss, Drucksache, Mittel und Datum.")
        template = "planning/paper/blocks/decisions.html"


class PaperStreamBlock(blocks.StreamBlock):
    heading = PaperHeadingBlock()
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES, template="planning/paper/blocks/text.html")
    priorities = PrioritiesBlock()
    method = MethodBlock()
    decisions = DecisionsBlock()

    class Meta:
        block_counts = {"priorities": {"max_num": 1}, "method": {"max_num": 1}, "decisions": {"max_num": 1}}
