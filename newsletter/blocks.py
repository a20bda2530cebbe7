"""Blocks of a newsletter edition.

Each block renders three ways: on the web (the block's template), as MJML and as plain text
(both in `newsletter.rendering`). Blocks that pull CMS content resolve it in `resolve()`, so
all three renderings show the same pages.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import ButtonBlock, HeadingBlock, ImageBlock
from cms.selectors import upcoming_events
from core.forms import MAX_ID
from core.mail import absolute_url
from meetings import selectors as meetings_selectors

from . import edition_content

TEASER_PAGE_TYPES = ["cms.NewsPage", "cms.EventPage", "cms.NetworkBodyPage"]


class TeaserBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Seite"), page_type=TEASER_PAGE_TYPES)
    text = blocks.TextBlock(label=_("Teasertext"), required=False, help_text=_("Leer: die Kurzbeschreibung der Seite."))

    class Meta:
        icon = "doc-full-inverse"
        label = _("Seitenteaser")
        template = "newsletter/blocks/teaser.html"

    def resolve(self, value):
        """The teaser's page, title and text, or None when the page is no longer public."""
        page = edition_content.public_page(value["page"])
        if page is None:
            return None
        return {"page": page, "title": page.title, "text": value["text"] or getattr(page, "intro", "")}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["teaser"] = self.resolve(value)
        return context


class UpcomingEventsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), default=_("Nächste Termine"), max_length=120)
    count = blocks.IntegerBlock(label=_("Anzahl"), default=3, min_value=1, max_value=10)

    class Meta:
        icon = "date"
        label = _("Nächste Termine")
        template = "newsletter/blocks/upcoming_events.html"

    def resolve(self, value):
        return list(upcoming_events(limit=value["count"]))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["events"] = self.resolve(value)
        return context


class DatesBlock(blocks.StructBlock):
    """ "Termine": the coming public meetings of the bodies and the CMS's events, soonest first."""

    heading = blocks.CharBlock(label=_("Überschrift"), default=_("Termine"), max_length=120)
    count = blocks.IntegerBlock(label=_("Anzahl"), default=5, min_value=1, max_value=15)

    class Meta:
        icon = "date"
        label = _("Termine (Sitzungen und Veranstaltungen)")
        template = "newsletter/blocks/dates.html"

    def resolve(self, value):
        """Plain entries for all three renderings: title, local start, place, absolute link, what it is."""
        entries = []
        for item in meetings_selectors.upcoming_public_entries(limit=value["count"]):
            if getattr(item, "body", None) is not None:  # a meeting of a body
                place = item.place or (item.organisation.name if item.organisation_id else "") or item.online_url
                label = item.body.short_name or item.body.name
                url = absolute_url(item.get_absolute_url())
            else:
                place, label, url = item.location, item.kind_label, item.url
            entries.append({"title": item.title, "start": item.local_start, "place": place, "label": label, "url": url})
        return entries

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["entries"] = self.resolve(value)
        return context


class ForumHighlightsBlock(blocks.StructBlock):
    """Forum topics, chosen by number or proposed from the activity since the list's previous edition.

    Whether a topic may appear depends on the edition's list (public lists: public boards only),
    which a block does not know; `NewsletterEdition.clean` checks the choice on save and
    `resolve` drops whatever the readers may not (or no longer) see.
    """

    CHOSEN = edition_content.CHOSEN
    MOST_ACTIVE = edition_content.MOST_ACTIVE

    heading = blocks.CharBlock(label=_("Überschrift"), default=_("Aus dem Forum"), max_length=120)
    source = blocks.ChoiceBlock(
        label=_("Themen"),
        choices=[
            (CHOSEN, _("ausgewählte Themen")),
            (MOST_ACTIVE, _("automatisch: die aktivsten öffentlichen Themen seit der letzten Ausgabe")),
        ],
        default=CHOSEN,
    )
    topics = blocks.ListBlock(
        # NewsletterEdition.clean looks the numbers up: one beyond the database's range was a server error.
        blocks.IntegerBlock(min_value=1, max_value=MAX_ID, label=_("Themennummer")),
        label=_("Ausgewählte Themen"),
        required=False,
        help_text=_("Die Nummer steht in der Adresse des Themas: /forum/thema/123/ hat die Nummer 123."),
    )
    count = blocks.IntegerBlock(
        label=_("Anzahl bei automatischer Auswahl"), default=3, min_value=1, max_value=10, required=False
    )

    class Meta:
        icon = "group"
        label = _("Forum-Highlights")
        template = "newsletter/blocks/forum_highlights.html"

    def resolve(self, value, edition):
        return edition_content.forum_highlights(value, edition)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        page = (parent_context or {}).get("page")
        context["topics"] = self.resolve(value, page) if page is not None else []
        return context


class NewsletterStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "ol", "ul", "link"], template="cms/blocks/paragraph.html"
    )
    image = ImageBlock()
    button = ButtonBlock()
    teaser = TeaserBlock()
    upcoming_events = UpcomingEventsBlock()
    dates = DatesBlock()
    forum_highlights = ForumHighlightsBlock()
    divider = blocks.StaticBlock(
        label=_("Trennlinie"), icon="horizontalrule", template="newsletter/blocks/divider.html"
    )
