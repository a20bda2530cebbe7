from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from forum import markdown

ACTIVE_TAGS = {"script", "iframe", "style", "object", "embed", "svg", "img", "form", "base", "meta", "link"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class ActiveContentFinder(HTMLParser):
    """Reads the HTML as a browser would and collects anything that could run or load."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            url = "".join((value or "").split()).lower()
            if name in {"href", "src"} and ":" in url.split("/")[0] and not url.startswith(SAFE_SCHEMES):
                self.found.append(f"{name}={value}")


def active_content(html):
    finder = ActiveContentFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_markdown_becomes_html_with_tables_and_strikethrough():
    html = markdown.render("**fett** ~~weg~~\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<strong>fett</strong>" in html
    assert "<s>weg</s>" in html
    assert "<table>" in html


def test_raw_html_in_a_post_is_shown_as_text_not_run():
    html = markdown.render('<script>alert(1)</script><img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_links_get_nofollow_and_only_safe_schemes_survive():
    html = markdown.render("[gut](https://example.org) [böse](javascript:alert(1)) [mail](mailto:a@example.org)")
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow ugc noopener"' in html
    assert 'href="javascript' not in html
    assert 'href="mailto:a@example.org"' in html


def test_quoting_prefixes_every_line_and_names_the_author():
    assert markdown.quote("Zeile eins\n\nZeile zwei", "Mia") == "**Mia:**\n> Zeile eins\n>\n> Zeile zwei\n\n"


NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](java\tscript:alert(1))",
        "![x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<iframe src=//evil></iframe>",
        "<style>*{}</style>",
        '<div onmouseover="x">',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<svg onload=alert(1)>",
        "`code`",
        "> quote",
        "| a |\n|---|\n| b |",
        "&lt;script&gt;",
        "\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NASTY, st.text(max_size=30)), max_size=8).map("".join))
def test_rendered_posts_never_contain_active_content(text):
    html = markdown.render(text)
    assert active_content(html) == [], html
    assert "<script" not in html and "<iframe" not in html and "<style" not in html
