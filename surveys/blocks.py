"""The question blocks editors compose a survey from (a StreamField on `SurveyPage`).

Each block's stream id (a UUID Wagtail keeps across edits) identifies the question in the stored
answers, so rewording a question keeps its answers. A section block starts a new page of the form.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

SCALE_POINTS = (1, 2, 3, 4, 5)


class SectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Überschrift des Abschnitts"), max_length=200)
    intro = blocks.TextBlock(label=_("Einleitung"), required=False)

    class Meta:
        icon = "title"
        label = _("Neuer Abschnitt (neue Seite)")


class QuestionBlock(blocks.StructBlock):
    """What every question has: its text, a help text, whether it must be answered and a condition."""

    question = blocks.CharBlock(label=_("Frage"), max_length=300)
    help_text = blocks.CharBlock(label=_("Hinweis"), required=False, max_length=300)
    required = blocks.BooleanBlock(label=_("Pflichtfrage"), required=False)
    key = blocks.CharBlock(
        label=_("Kürzel"),
        required=False,
        max_length=40,
        help_text=_("Nur nötig, wenn eine andere Frage von dieser abhängt, z. B. „traeger“."),
    )
    show_if_key = blocks.CharBlock(
        label=_("Nur zeigen, wenn die Frage mit dem Kürzel …"), required=False, max_length=40
    )
    show_if_answer = blocks.CharBlock(label=_("… diese Antwort hat"), required=False, max_length=200)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("show_if_key")) != bool(value.get("show_if_answer")):
            raise StructBlockValidationError(
                block_errors={
                    "show_if_answer": ValidationError(_("Für eine Bedingung bitte Kürzel und Antwort angeben."))
                }
            )
        return value


class ChoiceQuestionBlock(QuestionBlock):
    options = blocks.ListBlock(blocks.CharBlock(label=_("Antwort"), max_length=200), label=_("Antworten"), min_num=2)
    allow_other = blocks.BooleanBlock(label=_("„Sonstiges“ mit Freitext anbieten"), required=False)


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Einfachauswahl")


class MultipleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "tick-inverse"
        label = _("Mehrfachauswahl")


class ScaleBlock(QuestionBlock):
    low_label = blocks.CharBlock(label=_("Beschriftung von 1"), max_length=80, default=_("trifft gar nicht zu"))
    high_label = blocks.CharBlock(label=_("Beschriftung von 5"), max_length=80, default=_("trifft voll zu"))

    class Meta:
        icon = "order"
        label = _("Skala 1–5")


class NumberBlock(QuestionBlock):
    min_value = blocks.IntegerBlock(label=_("kleinste Zahl"), required=False)
    max_value = blocks.IntegerBlock(label=_("größte Zahl"), required=False)

    class Meta:
        icon = "plus-inverse"
        label = _("Zahl")


class ShortTextBlock(QuestionBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Kurzer Text")


class LongTextBlock(QuestionBlock):
    class Meta:
        icon = "doc-full"
        label = _("Langer Text")


class MatrixBlock(QuestionBlock):
    items = blocks.ListBlock(blocks.CharBlock(label=_("Aussage"), max_length=200), label=_("Aussagen"), min_num=1)
    low_label = blocks.CharBlock(label=_("Beschriftung von 1"), max_length=80, default=_("trifft gar nicht zu"))
    high_label = blocks.CharBlock(label=_("Beschriftung von 5"), max_length=80, default=_("trifft voll zu"))

    class Meta:
        icon = "table"
        label = _("Matrix (Aussagen × Skala)")


class SurveyStreamBlock(blocks.StreamBlock):
    section = SectionBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    scale = ScaleBlock()
    number = NumberBlock()
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    matrix = MatrixBlock()
