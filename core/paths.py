"""Paths of this site: what may be stored as a link target or a page to go back to, never an address elsewhere."""

from urllib.parse import urlsplit


def is_site_path(url: str) -> bool:
    """True for "/sozialplanung/2026/" or "/a/?b=1#c"; false for "//evil.example", "https://…", "\\\\host",
    "javascript:…", a relative "foo/" and anything with control characters (browsers strip some of them and
    would turn "/\t/evil.example" into "//evil.example")."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if any(ord(char) < 32 or char in "\\\x7f" for char in url):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc
