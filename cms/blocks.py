from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from documents.selectors import public_document, public_documents


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    level = blocks.ChoiceBlock(label=_("Ebene"), choices=[("h2", _("Ebene 2")), ("h3", _("Ebene 3"))], default="h2")

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "cms/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        label=_("Alternativtext"), max_length=250, help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen.")
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"))
    source = blocks.CharBlock(label=_("Quelle"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "cms/blocks/quote.html"


class ButtonBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Beschriftung"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Seite"), required=False)
    url = blocks.URLBlock(label=_("oder Adresse"), required=False)

    class Meta:
        icon = "link"
        label = _("Schaltfläche")
        template = "cms/blocks/button.html"

    def clean(self, value):
        cleaned = super().clean(value)
        if not cleaned.get("page") and not cleaned.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Bitte eine Seite oder eine Adresse angeben."))}
            )
        return cleaned


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(label=_("Linktext"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Dokument")
        template = "cms/blocks/document.html"


def public_document_choices():
    """Asked whenever the editor's form is built, so a document published a minute ago is offered."""
    return [
        (document.key, f"{document.title} ({document.body.short_name or document.body.name})")
        for document in public_documents()
    ]


class PublicDocumentBlock(blocks.StructBlock):
    """A public document of a body's library (a published concept, a Planungspapier): title, type, size, link.
    Should it stop being public later, the block shows nothing rather than a link that refuses."""

    document = blocks.ChoiceBlock(
        label=_("Öffentliches Dokument aus einer Ablage"),
        choices=public_document_choices,
        help_text=_("Nur Dokumente, die die Moderation eines Gremiums öffentlich gemacht hat."),
    )
    title = blocks.CharBlock(label=_("Linktext"), required=False, max_length=200)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Dokument aus einer Ablage")
        template = "cms/blocks/public_document.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["document"] = public_document(value.get("document") or "")
        return context


class ContentStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        template="cms/blocks/paragraph.html",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    button = ButtonBlock()
    document = DocumentBlock()
    library_document = PublicDocumentBlock()
    embed = EmbedBlock(label=_("Eingebettetes Medium"), icon="media")
