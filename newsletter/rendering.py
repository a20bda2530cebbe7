"""An edition as e-mail: MJML compiled once, per-recipient parts filled in by string replacement.

Compiling is the expensive step, so it runs once per send (`compile_edition`); `personalize` only
replaces a few placeholders, which keeps a worker's cost per message at building the MIME message.
"""

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

import mjml
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from cms.models import SiteLinks

from . import tokens

GREETING = "__NL_GREETING__"
MANAGE_URL = "__NL_MANAGE_URL__"
UNSUBSCRIBE_URL = "__NL_UNSUBSCRIBE_URL__"

_RELATIVE_LINK = re.compile(r'(\s(?:href|src))="/(?!/)')


def absolute(url):
    if url and url.startswith("/") and not url.startswith("//"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def absolutize_html(html):
    """Rich text and renditions link relative to the site; in a mailbox only absolute links work."""
    return _RELATIVE_LINK.sub(lambda match: f'{match.group(1)}="{settings.SITE_URL.rstrip("/")}/', html)


def page_url(page):
    parts = page.get_url_parts()
    return absolute(parts[2]) if parts else None


class _TextExtractor(HTMLParser):
    """Rich text to plain text: paragraphs separated, list items bulleted, links as "text (url)"."""

    BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "div"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html):
    parser = _TextExtractor()
    parser.feed(html)
    text = "".join(parser.parts)
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _item(block, edition):
    """One block as plain data, shared by the MJML and the text template."""
    value = block.value
    kind = block.block_type
    if kind == "heading":
        return {"type": kind, "text": value["text"], "level": value["level"]}
    if kind == "paragraph":
        html = absolutize_html(str(value))
        return {"type": kind, "html": html, "text": html_to_text(html)}
    if kind == "image":
        image = value["image"]
        if image is None:
            return None
        rendition = image.get_rendition("width-1200")
        return {
            "type": kind,
            "src": absolute(rendition.url),
            "alt": value["alt_text"],
            "caption": value.get("caption", ""),
        }
    if kind == "button":
        page = value.get("page")
        url = page_url(page) if page is not None and page.live else value.get("url")
        return {"type": kind, "text": value["text"], "url": url} if url else None
    if kind == "teaser":
        teaser = block.block.resolve(value)
        if teaser is None:
            return None
        return {"type": kind, "title": teaser["title"], "text": teaser["text"], "url": page_url(teaser["page"])}
    if kind == "upcoming_events":
        events = [{"event": event, "url": page_url(event)} for event in block.block.resolve(value)]
        return {"type": kind, "heading": value["heading"], "events": events} if events else None
    if kind == "forum_highlights":
        topics = [
            {"title": topic.title, "board": topic.board.name, "url": absolute(topic.get_absolute_url())}
            for topic in block.block.resolve(value, edition)
        ]
        return {"type": kind, "heading": value["heading"], "topics": topics} if topics else None
    if kind == "divider":
        return {"type": kind}
    return None


def edition_context(edition):
    site = Site.objects.filter(is_default_site=True).first()
    links = SiteLinks.for_site(site) if site else None
    newsletter = edition.newsletter
    items = [item for item in (_item(block, edition) for block in edition.body) if item]
    return {
        "edition": edition,
        "newsletter": newsletter,
        "subject": edition.subject,
        "preheader": edition.preheader,
        "items": items,
        "browser_url": page_url(edition),
        "impressum_url": page_url(links.impressum) if links and links.impressum else None,
        "privacy_url": page_url(links.privacy) if links and links.privacy else None,
        "greeting": GREETING,
        "manage_url": MANAGE_URL,
        "unsubscribe_url": UNSUBSCRIBE_URL,
    }


@dataclass(frozen=True)
class CompiledEdition:
    subject: str
    html: str
    text: str


def compile_edition(edition):
    with translation.override(settings.LANGUAGE_CODE):
        context = edition_context(edition)
        source = render_to_string("newsletter/mjml/edition.mjml", context)
        text = render_to_string("newsletter/mjml/edition.txt", context)
    html = absolutize_html(mjml.mjml2html(source, disable_comments=True))
    return CompiledEdition(subject=edition.subject, html=html, text=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n")


def greeting(name):
    with translation.override(settings.LANGUAGE_CODE):
        if name:
            return translation.gettext("Guten Tag %(name)s,") % {"name": name}
        return translation.gettext("Guten Tag,")


def recipient_links(email, newsletter):
    return {
        "manage_url": absolute(reverse("newsletter:manage", args=[tokens.make_manage_token(email)])),
        # One address for the footer link and RFC 8058's List-Unsubscribe: GET asks, POST unsubscribes.
        "unsubscribe_url": absolute(
            reverse("newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(email, newsletter.pk)])
        ),
    }


def personalize(compiled_html, compiled_text, *, name, links):
    """Fill the per-recipient parts. Values are escaped for HTML: a name is user input."""
    values = {GREETING: greeting(name), MANAGE_URL: links["manage_url"], UNSUBSCRIBE_URL: links["unsubscribe_url"]}
    html, text = compiled_html, compiled_text
    for placeholder, value in values.items():
        html = html.replace(placeholder, escape(value, quote=True))
        text = text.replace(placeholder, value)
    return html, text
