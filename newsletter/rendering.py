"""An edition as e-mail: MJML compiled once, per-recipient parts filled in by string replacement.

Compiling is the expensive step, so it runs once per send (`compile_edition`). The MIME message is
encoded once per send as well (`message_template`); per recipient a worker only encodes the few
personal values and joins them with the pre-encoded bytes. Measured with `bench/mime.py` (31 KB of
HTML): 0.10 ms per message against 10.0 ms for a message built with the standard library's
`email.message.EmailMessage` and 4.9 ms with Django's `EmailMultiAlternatives` (bench/README.md).
These bytes are the one form every backend gets (`newsletter.delivery.messages.message_maker`).
"""

import re
from dataclasses import dataclass
from email import quoprimime
from email.generator import BytesGenerator
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from io import BytesIO

import mjml
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from cms.models import SiteLinks
from core.mail import absolute_url
from core.smtp_pipelining import transparent_content

from . import tokens

GREETING = "__NL_GREETING__"
MANAGE_URL = "__NL_MANAGE_URL__"
UNSUBSCRIBE_URL = "__NL_UNSUBSCRIBE_URL__"

_RELATIVE_LINK = re.compile(r'(\s(?:href|src))="/(?!/)')


def absolute(url):
    if url and url.startswith("/") and not url.startswith("//"):
        return absolute_url(url)
    return url


def absolutize_html(html):
    """Rich text and renditions link relative to the site; in a mailbox only absolute links work."""
    root = absolute_url("/")
    return _RELATIVE_LINK.sub(lambda match: f'{match.group(1)}="{root}', html)


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
    if kind == "dates":
        entries = block.block.resolve(value)
        return {"type": kind, "heading": value["heading"], "entries": entries} if entries else None
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


def greeter():
    """greeting() as a function of the name, with the translations looked up once for a whole batch."""
    with translation.override(settings.LANGUAGE_CODE):
        named, anonymous = translation.gettext("Guten Tag %(name)s,"), translation.gettext("Guten Tag,")
    return lambda name: named % {"name": name} if name else anonymous


def greeting(name):
    return greeter()(name)


_TOKEN = "__NL_TOKEN__"


def link_maker(newsletter):
    """recipient_links() for one list, with the URLs reversed once: per recipient only the tokens are made."""
    manage = absolute(reverse("newsletter:manage", args=[_TOKEN])).split(_TOKEN)
    unsubscribe = absolute(reverse("newsletter:unsubscribe", args=[_TOKEN])).split(_TOKEN)
    manage_token = tokens.manage_token_maker()
    unsubscribe_token_of = tokens.unsubscribe_token_maker(newsletter.pk)

    def links(email):
        unsubscribe_token = unsubscribe_token_of(email)
        return {
            "manage_url": manage_token(email).join(manage),
            # One address for the footer link and RFC 8058's List-Unsubscribe: GET asks, POST unsubscribes.
            "unsubscribe_url": unsubscribe_token.join(unsubscribe),
            # The mailto variant of List-Unsubscribe carries the same token.
            "unsubscribe_token": unsubscribe_token,
        }

    return links


def recipient_links(email, newsletter):
    return link_maker(newsletter)(email)


def personalize(compiled_html, compiled_text, *, name, links):
    """Fill the per-recipient parts. Values are escaped for HTML: a name is user input."""
    values = {GREETING: greeting(name), MANAGE_URL: links["manage_url"], UNSUBSCRIBE_URL: links["unsubscribe_url"]}
    html, text = compiled_html, compiled_text
    for placeholder, value in values.items():
        html = html.replace(placeholder, escape(value, quote=True))
        text = text.replace(placeholder, value)
    return html, text


# --- The MIME message, encoded once per send ------------------------------------------------------------

_PLACEHOLDER = re.compile(f"({re.escape(GREETING)}|{re.escape(MANAGE_URL)}|{re.escape(UNSUBSCRIBE_URL)})")
_FIELD = re.compile(rb"(__NL_[A-Z_]+__)")
_SOFT_BREAK = b"=\r\n"
# Per-recipient headers; each is written as a short mark, so the email package never folds through one.
HEADER_FIELDS = {"To": "__NL_TO__", "Date": "__NL_DATE__", "Message-ID": "__NL_MESSAGE_ID__", "List-Unsubscribe": "__NL_LIST_UNSUBSCRIBE__"}  # fmt: skip
_TEXT, _HTML = "__NL_TEXT__", "__NL_HTML__"


def quoted_printable(text):
    """UTF-8 quoted-printable with CRLF, as the email package encodes a part (lines of at most 76)."""
    return quoprimime.body_encode(text.encode("utf-8").decode("latin-1"), eol="\r\n").encode("ascii")


# RFC 5322 allows 998 octets a line; the rest is headroom.
LINE_OCTETS = 900
# What one personal value may take in an 8bit line: lines are wrapped counting each field at this
# size, so a filled line stays within LINE_OCTETS. A longer value gets the quoted-printable message.
FIELD_OCTETS = 200
# Comments and raw-text elements are whole tokens (never broken inside), then tags (a quoted
# attribute value may hold ">"), then text.
_MARKUP = re.compile(
    r"<!--.*?-->|<(style|script|pre|textarea)\b.*?</\1\s*>"
    r"|</?([a-zA-Z][a-zA-Z0-9]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|[^<]+|<",
    re.DOTALL | re.IGNORECASE,
)
# A line break between two of these tags adds a whitespace-only text node where browsers drop it
# (the head, table structure, between blocks); between inline or inline-block elements (MJML's
# columns are inline-block divs) it would render as a space, so div is not among them.
_BREAK_BETWEEN = {
    *("html", "head", "meta", "title", "style", "link"),
    *("table", "thead", "tbody", "tfoot", "tr", "td", "th"),
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li"),
}
_FORBIDDEN_IN_8BIT = re.compile("[\r\n\0]")


def _octets(text):
    """Octets on the wire, each personal field counted at the most it may take."""
    return len(text.encode("utf-8")) + sum(FIELD_OCTETS - len(field) for field in _PLACEHOLDER.findall(text))


def _segments(html):
    """`html` cut wherever a line break leaves the rendered mail unchanged."""
    segment, previous = [], False
    for match in _MARKUP.finditer(html):
        breakable = (match.group(1) or match.group(2) or "").lower() in _BREAK_BETWEEN
        if breakable and previous:
            yield "".join(segment)
            segment = []
        segment.append(match.group())
        previous = breakable
    yield "".join(segment)


def wrap_html(html):
    """`html` in lines of at most LINE_OCTETS as far as its safe break points allow."""
    html = _newlines(html)
    pieces, length = [], 0
    for segment in _segments(html):
        first, newline, _rest = segment.partition("\n")
        if length and length + _octets(first) > LINE_OCTETS:
            pieces.append("\n")
            length = 0
        pieces.append(segment)
        length = _octets(segment.rpartition("\n")[2]) if newline else length + _octets(segment)
    return "".join(pieces)


def _newlines(text):
    return re.sub(r"\r\n?", "\n", text)


def _fits(text):
    return all(_octets(line) <= LINE_OCTETS for line in text.split("\n"))


def _eight_bit_body(kind, body):
    """A body as UTF-8 bytes in CRLF lines and (kind, placeholder) fields; None where a line is too long.

    Unlike quoted-printable, 8bit cannot break a line without changing the content, so the HTML is
    wrapped only where that changes nothing, and the text only where it already has line breaks.
    """
    body = wrap_html(body) if kind == "html" else _newlines(body)
    if not _fits(body):
        return None
    parts = []
    for index, piece in enumerate(_PLACEHOLDER.split(body)):
        parts.append((kind, piece) if index % 2 else piece.replace("\n", "\r\n").encode("utf-8"))
    return parts


def _body_parts(kind, body):
    """A body as pre-encoded bytes and (kind, placeholder) fields.

    A soft line break before and after every field means the value filled in is encoded on its own
    lines: nothing it contains can merge with its neighbours into a wrong escape or an over-long line.
    """
    parts = []
    for index, piece in enumerate(_PLACEHOLDER.split(body)):
        if index % 2:
            parts += [_SOFT_BREAK, (kind, piece), _SOFT_BREAK]
        else:
            parts.append(quoted_printable(piece))
    return parts


class MessageTemplate:
    """A send's message as bytes ready for SMTP, with the per-recipient values left open."""

    def __init__(self, headers, text, html, eight_bit=False):
        """`headers`: (name, value) in order, values as the email package is to write them (ASCII);
        the per-recipient ones (HEADER_FIELDS) are filled in by `fill`.

        With `eight_bit` (for a server that announced 8BITMIME) each part that fits goes unencoded:
        a few long lines cost the server less than quoted-printable's many short ones."""
        root = MIMEMultipart("alternative")
        for name, value in headers:
            root[name] = value
        bodies = {}
        #: The kinds of part sent as 8bit; the message needs BODY=8BITMIME when there is any.
        self.eight_bit = set()
        for subtype, kind, mark, body in (("plain", "text", _TEXT, text), ("html", "html", _HTML, html)):
            bodies[mark] = _eight_bit_body(kind, body) if eight_bit else None
            if bodies[mark] is None:
                bodies[mark] = _body_parts(kind, body)
            else:
                self.eight_bit.add(kind)
            part = MIMENonMultipart("text", subtype, charset="utf-8")
            part["Content-Transfer-Encoding"] = "8bit" if kind in self.eight_bit else "quoted-printable"
            part.set_payload(mark)
            root.attach(part)
        buffer = BytesIO()
        BytesGenerator(buffer, mangle_from_=False).flatten(root, linesep="\r\n")
        parts = []
        for index, piece in enumerate(_FIELD.split(buffer.getvalue())):
            if not index % 2:
                parts.append(piece)
            elif piece.decode() in bodies:
                parts += bodies[piece.decode()]
            else:
                parts.append(piece.decode())
        self.parts = _merged(parts)
        # The parts as SMTP's DATA sends them (RFC 5321 4.5.2), made once instead of for each message (14 KB
        # searched for lines that start with a dot: 12 µs): a fixed part's lines that start with a dot get a
        # second one, the message's first line too; a part's first line continues the value before it.
        transparent = [part.replace(b"\n.", b"\n..") if part.__class__ is bytes else part for part in self.parts]
        if transparent[0].__class__ is bytes and transparent[0].startswith(b"."):
            transparent[0] = b"." + transparent[0]
        if not transparent[-1].endswith(b"\r\n"):
            transparent[-1] += b"\r\n"
        self.transparent_parts = transparent

    def fill(self, headers, *, greeting, manage_url, unsubscribe_url, transparent=False):
        """The message for one recipient; `headers` maps every HEADER_FIELDS name to its ASCII value.
        With `transparent`, as SMTP's DATA sends it (`core.smtp_pipelining.transparent_content`).

        None where a value cannot go into an 8bit part: a line break in it or one longer than
        FIELD_OCTETS would break the line limits (the quoted-printable message can carry it)."""
        values = {HEADER_FIELDS[name]: value.encode("ascii") for name, value in headers.items()}
        for placeholder, value in ((GREETING, greeting), (MANAGE_URL, manage_url), (UNSUBSCRIBE_URL, unsubscribe_url)):
            for kind, body_value in (("text", value), ("html", escape(value, quote=True))):
                if kind not in self.eight_bit:
                    values[kind, placeholder] = quoted_printable(body_value)
                    continue
                encoded = body_value.encode("utf-8")
                if len(encoded) > FIELD_OCTETS or _FORBIDDEN_IN_8BIT.search(body_value):
                    return None
                values[kind, placeholder] = encoded
        if not transparent:
            return b"".join([part if part.__class__ is bytes else values[part] for part in self.parts])
        if any(not value or value[:1] == b"." or value[-1:] == b"\n" or b"\n." in value for value in values.values()):
            # A value may start a line with a dot, or end a line before a fixed part's dot: the whole message.
            return transparent_content(
                b"".join([part if part.__class__ is bytes else values[part] for part in self.parts])
            )
        return b"".join([part if part.__class__ is bytes else values[part] for part in self.transparent_parts])


def _merged(parts):
    """Adjacent fixed bytes joined, so that filling in costs one list item per field."""
    merged = []
    for part in parts:
        if isinstance(part, bytes) and merged and isinstance(merged[-1], bytes):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


@lru_cache(maxsize=8)
def message_template(headers, text, html, eight_bit=False):
    """MessageTemplate for a tuple of headers; every batch of a send builds the same one."""
    return MessageTemplate(headers, text, html, eight_bit)
