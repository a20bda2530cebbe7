"""Full-text search over the posts a person may see: FTS5 on SQLite, the German text search on PostgreSQL.

Why our own search and not Wagtail's search backend (issue #11). Wagtail (8.0, through django-modelsearch)
indexes models declared `index.Indexed` and answers `.search()` on a queryset; for the forum it falls short:
- No German stemming on SQLite: its FTS5 table uses the default unicode61 tokenizer and offers no hook to stem
  before it, so "Kitas" would not find "Kita" on a developer's machine while it does on PostgreSQL.
- No snippets: it returns objects, not the matched passage with the words marked; we cut and mark our own,
  escaped first and marked second.
- Filters: it accepts only fields declared as `FilterField` with simple lookups, and translates the queryset's
  filters into its own; the visibility rule (`permissions.visible_posts`: subqueries over boards, memberships
  and moderation) is a queryset it cannot take, so we would have to search first and filter after, losing
  hits behind the cut-off of the ranking.
- What is indexed: the plain text of the rendered, sanitised post, kept in step where a post is saved
  (`index_post`), in one transaction with it, instead of Wagtail's signal-driven `update_index`.
Wagtail's backend stays in use for the CMS pages; the forum keeps this module.

How words are matched, the same way on both databases:
- A query is split into words at white space, and each word into its letters-and-digits parts, so a hyphenated
  word ("Kita-Portal", "E-Mail", "Schul-Sozialarbeit") is the phrase of its parts, or the parts written
  together ("Kitaportal"). Quotes and operators in the input are plain text, never query syntax.
- Every part is stemmed with the Snowball German stemmer: on PostgreSQL by the `german` configuration, on
  SQLite by PyStemmer (the same Snowball algorithm) at index and at query time, because FTS5 has no stemmer
  of its own for German. So "Häuser" finds "Haus" and "Schulen" finds "Schule" on both.
What SQLite does differently: it matches each stemmed part as a prefix ("Sozialmon" finds "Sozialmonitoring",
"Schule" finds "Schulsozialarbeit") and keeps German stop words ("und", "die") as words that must occur;
PostgreSQL matches whole stems and drops stop words. Neither splits compounds written together ("Kitaportal"
does not find "Portal").

Other apps' content (published minutes) is found on the same page through `register_search_source`: the
forum must not import the apps above it, so they register a source from their AppConfig.ready; each source
applies its own permission rule and matches with `match_snippet`, the same words and stems as here.

The SQLite index holds stems, not text: after a change of the stemmer or of the tokenising here, rebuild it
with `manage.py rebuild_forum_search_index` (migration 0006 did so once).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser

import Stemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import permissions

MAX_CANDIDATES = 500
SNIPPET_WORDS = 24
# A word of an index or a query: letters and digits; everything else (hyphens, quotes, underscores) separates.
WORD = re.compile(r"[^\W_]+")
_stemmer = Stemmer.Stemmer("german")
# Block elements end a word even where the HTML has no white space between them ("<p>a</p><p>b</p>").
_BLOCKS = {"p", "br", "hr", "blockquote", "pre", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th"}


class _TextOfHtml(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.pieces.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, ())

    def handle_data(self, data):
        self.pieces.append(data)


def plain_text(html):
    """The text a reader sees of a rendered post: what is indexed and what snippets are cut from."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.pieces).split())


def stem(word):
    return _stemmer.stemWord(word.lower())


def _stems(text):
    return " ".join(_stemmer.stemWords(word.lower() for word in WORD.findall(text)))


def _query_words(text):
    """Each word of the query as (stems of its parts, stem of the parts written together)."""
    words = []
    for raw in text.split():
        parts = WORD.findall(raw)
        if parts:
            words.append(([stem(part) for part in parts], stem("".join(parts))))
    return words


def _fts5_query(words):
    # Stems hold only letters and digits, so quoting them makes every term plain text for FTS5.
    terms = []
    for parts, joined in words:
        if len(parts) == 1:
            terms.append(f'"{joined}"*')
        else:
            terms.append(f'("{" ".join(parts)}"* OR "{joined}"*)')
    return " AND ".join(terms)


def _postgres_query(words):
    query = None
    for parts, _joined in words:
        term = SearchQuery(" ".join(parts), config="german", search_type="phrase")
        if len(parts) > 1:
            term |= SearchQuery("".join(parts), config="german", search_type="plain")
        query = term if query is None else query & term
    return query


def _snippet(text, words):
    """About SNIPPET_WORDS words of `text` around the first match, escaped, the matched words in <mark>."""
    # Parts of a hyphenated word are marked only where they are whole stems: "E-Mail" would otherwise mark
    # every word that begins with an e.
    exact = {part for parts, _joined in words if len(parts) > 1 for part in parts}
    prefixes = tuple(joined for _parts, joined in words)
    tokens = list(WORD.finditer(text))
    stems = _stemmer.stemWords(token.group().lower() for token in tokens)
    hits = [i for i, token_stem in enumerate(stems) if token_stem in exact or token_stem.startswith(prefixes)]
    if not tokens:
        return mark_safe("")
    first = max(0, (hits[0] if hits else 0) - SNIPPET_WORDS // 3)
    last = min(len(tokens), first + SNIPPET_WORDS) - 1
    start = 0 if first == 0 else tokens[first].start()
    end = len(text) if last == len(tokens) - 1 else tokens[last].end()
    marked = {i for i in hits if first <= i <= last}
    pieces = ["…"] if start else []
    position = start
    for i in sorted(marked):
        token = tokens[i]
        pieces += [escape(text[position : token.start()]), "<mark>", escape(token.group()), "</mark>"]
        position = token.end()
    pieces += [escape(text[position:end]), "…" if end < len(text) else ""]
    return mark_safe("".join(str(piece) for piece in pieces))


def _highlight(posts, words):
    for post in posts:
        post.highlight = _snippet(plain_text(post.html), words)
    return posts


# The SQLite index --------------------------------------------------------------


def create_sqlite_index(schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    # Stems are plain ASCII-ish words separated by spaces: the tokenizer only has to split them.
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS forum_post_fts USING fts5("
        "title, body, post_id UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
    )


def drop_sqlite_index(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_post_fts")


def _insert(cursor, title, html, post_id):
    cursor.execute(
        "INSERT INTO forum_post_fts (title, body, post_id) VALUES (%s, %s, %s)",
        [_stems(title), _stems(plain_text(html)), post_id],
    )


def index_post(post, *, is_new=False):
    """Keep the SQLite index in step with a post; PostgreSQL searches the table itself.

    A new post has no entry to replace yet: post ids are never reused.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if not is_new:
            cursor.execute("DELETE FROM forum_post_fts WHERE post_id = %s", [post.pk])
        if not post.is_deleted and not post.is_hidden:
            _insert(cursor, post.topic.title, post.html, post.pk)


def rebuild_sqlite_index(database, posts):
    """Index `posts` anew on the connection `database`: (topic title, html, id) of each post that may be found.
    Returns their count."""
    count = 0
    with database.cursor() as cursor:
        cursor.execute("DELETE FROM forum_post_fts")
        for title, html, post_id in posts:
            _insert(cursor, title, html, post_id)
            count += 1
    return count


def forget_posts(post_ids):
    """Take many posts out of the SQLite index at once (the posts of a deleted account)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for start in range(0, len(post_ids), 500):
            chunk = post_ids[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM forum_post_fts WHERE post_id IN ({placeholders})", chunk)


def index_topic(topic):
    for post in topic.posts.select_related("topic"):
        index_post(post)


# Searching ----------------------------------------------------------------------


def _filtered(user, board=None, author=None, date_from=None, date_to=None, tag=None):
    posts = permissions.visible_posts(user)
    if board is not None:
        posts = posts.filter(topic__board=board)
    if author is not None:
        posts = posts.filter(author=author)
    if date_from is not None:
        posts = posts.filter(created_at__date__gte=date_from)
    if date_to is not None:
        posts = posts.filter(created_at__date__lte=date_to)
    if tag is not None:
        posts = posts.filter(topic__tags=tag)
    return posts.select_related("topic", "topic__board", "author")


def _search_sqlite(words, posts, limit):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT post_id FROM forum_post_fts WHERE forum_post_fts MATCH %s "
            "ORDER BY bm25(forum_post_fts, 5.0, 1.0) LIMIT %s",
            [_fts5_query(words), MAX_CANDIDATES],
        )
        ranked = [post_id for (post_id,) in cursor.fetchall()]
    found = {post.pk: post for post in posts.filter(pk__in=ranked)}
    return [found[post_id] for post_id in ranked if post_id in found][:limit]


def _search_postgres(words, posts, limit):
    # The parser of the `german` configuration skips tags and entities: the rendered HTML is searched as its text.
    vector = SearchVector("topic__title", weight="A", config="german") + SearchVector(
        "html", weight="B", config="german"
    )
    query = _postgres_query(words)
    posts = (
        posts.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(document=query)
        .order_by("-rank", "-created_at")[:limit]
    )
    return list(posts)


def search_posts(user, text, *, limit=50, **filters):
    words = _query_words(text)
    if not words:
        return []
    posts = _filtered(user, **filters)
    if connection.vendor == "postgresql":
        return _highlight(_search_postgres(words, posts, limit), words)
    return _highlight(_search_sqlite(words, posts, limit), words)


# Other sources ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One hit of another app, shown below the forum's posts."""

    title: str
    url: str
    where: str
    when: datetime
    snippet: SafeString


# source(user, text, date_from=..., date_to=..., limit=...) -> hits the user may see, best first.
SearchSource = Callable[..., list[SearchHit]]
_sources: list[SearchSource] = []


def register_search_source(source: SearchSource) -> None:
    """Called from an app's AppConfig.ready; registering the same source twice keeps one."""
    if source not in _sources:
        _sources.append(source)


def search_other_sources(
    user, text: str, *, date_from: date | None = None, date_to: date | None = None, limit: int = 20
) -> list[SearchHit]:
    hits: list[SearchHit] = []
    for source in _sources:
        hits += source(user, text, date_from=date_from, date_to=date_to, limit=limit)
    return hits[:limit]


def _matches(stems, parts, joined):
    if any(token_stem.startswith(joined) for token_stem in stems):
        return True
    length = len(parts)
    return length > 1 and any(
        stems[i : i + length - 1] == parts[:-1] and stems[i + length - 1].startswith(parts[-1])
        for i in range(len(stems) - length + 1)
    )


def match_snippet(text: str, query: str) -> SafeString | None:
    """The snippet of `text` if it holds every word of `query` (stemmed, as a prefix like the SQLite index),
    else None. For sources small enough to be matched in Python after their permission filter."""
    words = _query_words(query)
    if not words:
        return None
    stems = _stemmer.stemWords(token.lower() for token in WORD.findall(text))
    if not all(_matches(stems, parts, joined) for parts, joined in words):
        return None
    return _snippet(text, words)
