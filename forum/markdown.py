"""Markdown to safe HTML, done once when a post is saved."""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "s", "del", "a",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Only the text alignment that markdown-it writes for table columns survives in style attributes.
ALLOWED_STYLE_PROPERTIES = {"text-align"}

_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def sanitise(html):
    """The last line of defence for any HTML that reaches a page: an allow-list, not a block-list."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        strip_comments=True,
    )


def render(text):
    return sanitise(_parser.render(text))


def quote(text, author_name):
    """The reply text that a "Zitieren" link puts into the form."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())
    return f"**{author_name}:**\n{quoted}\n\n"
