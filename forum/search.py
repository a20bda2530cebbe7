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

What a search costs, on both databases (issue #16: p95 ≤ 30 ms at 100,000 posts, whatever the number of
boards a person sees): the index holds each post's board too, so the index itself narrows to the boards the
person sees; of the matches it takes the newest MAX_CANDIDATES, ranks only those (bm25 / ts_rank) and checks
the exact visibility rule on them; snippets are cut for the shown posts only. A common word thus costs as
much as a rare one, and the page says when there were more matches than were ranked.

The SQLite index holds stems, not text: after a change of the stemmer or of the tokenising here, rebuild it
with `manage.py rebuild_forum_search_index` (migrations 0006 and 0010 did so); on PostgreSQL the same command
computes every post's vector anew.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from operator import itemgetter

import Stemmer
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import permissions
from .models import Board, Post

# A search ranks the newest this many matches the person may see (the page says when there are more).
MAX_CANDIDATES = 1000
# Up to this many boards (or a quarter of all) are part of the index query; more are checked per match.
FEW_BOARDS = 20
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
    return [([stem(part) for part in parts], stem("".join(parts))) for parts in _query_parts(text)]


def _query_parts(text):
    """Each word of the query as its letters-and-digits parts, as typed."""
    return [parts for parts in (WORD.findall(raw) for raw in text.split()) if parts]


def _fts5_query(words):
    # Stems hold only letters and digits, so quoting them makes every term plain text for FTS5.
    terms = []
    for parts, joined in words:
        if len(parts) == 1:
            terms.append(f'"{joined}"*')
        else:
            terms.append(f'("{" ".join(parts)}"* OR "{joined}"*)')
    return " AND ".join(terms)


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


# The index ---------------------------------------------------------------------
#
# Both databases keep, per post that may be found, its words and the board it is in; a search asks the index for
# the newest MAX_CANDIDATES matches in the boards the person may see and ranks only those, so its work is bounded
# whatever the word and however many boards the person sees (bench/README.md, "Search").
# SQLite: an FTS5 table whose rowid is the post's id, columns title and body (stems) and board ("b<id>", a token
# no stem query reaches: stems are matched in title and body only). PostgreSQL: the table forum_post_search
# (models.PostSearchEntry), a narrow row per post with its board and the `german` vector of title (weight A) and
# text (weight B); a GIN index on the vector and a B-tree on (board, post).
# Like `permissions.visible_posts`, the index leaves out deleted and hidden posts and the posts of hidden topics
# (even their moderators find those only on the topic's page): what it holds in a board, everyone who sees the
# board may find.


def _board_token(board_id):
    return f"b{board_id}"


def create_sqlite_index(schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    # Stems are plain ASCII-ish words separated by spaces: the tokenizer only has to split them. Every stem is
    # searched as a prefix: indexing prefixes of 3 to 7 letters spares merging all words that begin with a short
    # stem ("stadt": Stadtteil, Stadtpark, ...) at every search, for twice the index.
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS forum_post_fts USING fts5("
        "title, body, board, prefix='3 4 5 6 7', tokenize='unicode61 remove_diacritics 2')"
    )


def drop_sqlite_index(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_post_fts")


def _sqlite_row(title, html, post_id, board_id):
    return [post_id, _stems(title), _stems(plain_text(html)), _board_token(board_id)]


_SQLITE_INSERT = "INSERT INTO forum_post_fts (rowid, title, body, board) VALUES (%s, %s, %s, %s)"


def postgres_findable(post, topic):
    """SQL: whether a post may be found, from its row and its topic's (`post` and `topic` name the rows)."""
    return f"{post}.deleted_at IS NULL AND NOT {post}.is_hidden AND NOT {topic}.is_hidden"


def postgres_vector(post, topic):
    """SQL for the vector of a post from its row and its topic's."""
    return f"setweight(to_tsvector('german', {topic}.title), 'A') || setweight(to_tsvector('german', {post}.html), 'B')"


# One statement for the posts of `scope` (a condition on p and t): the entries of those that may be found anew
# from their row and their topic's, the others' taken out. The two touch different rows, so they cannot collide.
_POSTGRES_INDEX = (
    "WITH gone AS (DELETE FROM forum_post_search e USING forum_post p JOIN forum_topic t ON t.id = p.topic_id "
    f"WHERE e.post_id = p.id AND {{scope}} AND NOT ({postgres_findable('p', 't')})) "
    "INSERT INTO forum_post_search (post_id, board_id, vector) "
    f"SELECT p.id, t.board_id, {postgres_vector('p', 't')} FROM forum_post p JOIN forum_topic t ON t.id = p.topic_id "
    f"WHERE {{scope}} AND {postgres_findable('p', 't')} "
    "ON CONFLICT (post_id) DO UPDATE SET board_id = EXCLUDED.board_id, vector = EXCLUDED.vector"
)


def index_post(post, *, is_new=False):
    """Keep the index in step with a saved post (its text, visibility and board), in the caller's transaction.

    A new post has no entry to replace yet: post ids are never reused."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_INDEX.format(scope="p.id = %s"), [post.pk, post.pk])
            return
        if not is_new:
            cursor.execute("DELETE FROM forum_post_fts WHERE rowid = %s", [post.pk])
        if not post.is_deleted and not post.is_hidden and not post.topic.is_hidden:
            cursor.execute(_SQLITE_INSERT, _sqlite_row(post.topic.title, post.html, post.pk, post.topic.board_id))


def index_topic(topic):
    """After a move, merge, split or hiding: every post of the topic with its title, board and visibility."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_POSTGRES_INDEX.format(scope="p.topic_id = %s"), [topic.pk, topic.pk])
        return
    for post in topic.posts.select_related("topic"):
        index_post(post)


def rebuild_sqlite_index(database, posts):
    """Index `posts` anew on the connection `database`: (topic title, html, id, board id) of each post that may be
    found. Returns their count."""
    count = 0
    with database.cursor() as cursor:
        cursor.execute("DELETE FROM forum_post_fts")
        batch = []
        for title, html, post_id, board_id in posts:
            batch.append(_sqlite_row(title, html, post_id, board_id))
            if len(batch) == 1000:
                cursor.executemany(_SQLITE_INSERT, batch)
                count, batch = count + len(batch), []
        cursor.executemany(_SQLITE_INSERT, batch)
    return count + len(batch)


def rebuild_postgres_index(database):
    """Every post's vector anew on the connection `database`; returns how many posts may be found."""
    with database.cursor() as cursor:
        cursor.execute("DELETE FROM forum_post_search")
        cursor.execute(_POSTGRES_INDEX.format(scope="TRUE"))
        return cursor.rowcount


def forget_posts(post_ids):
    """Take many posts out of the index at once (the posts of a deleted account)."""
    with connection.cursor() as cursor:
        for start in range(0, len(post_ids), 500):
            chunk = post_ids[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            if connection.vendor == "postgresql":
                cursor.execute(f"DELETE FROM forum_post_search WHERE post_id IN ({placeholders})", chunk)
            else:
                cursor.execute(f"DELETE FROM forum_post_fts WHERE rowid IN ({placeholders})", chunk)


# Searching ----------------------------------------------------------------------


class SearchResults(list):
    """The shown posts, best first; `total`: how many posts the person may see matched, counted up to
    MAX_CANDIDATES; `capped`: there may be more (the page asks to narrow the search)."""

    def __init__(self, posts=(), total=0, capped=False):
        super().__init__(posts)
        self.total = total
        self.capped = capped
        self.cap = MAX_CANDIDATES


def _filtered(posts, board=None, author=None, date_from=None, date_to=None, tag=None):
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
    return posts


def _candidates_sqlite(words, board_ids, board_count):
    """(post id, score: higher is better) of the newest MAX_CANDIDATES matches in these boards.
    FTS5 walks its doclists newest first and stops at the limit; bm25 is computed for those rows only.
    A few boards are a condition of the index query; merging the lists of many boards costs more than looking up
    the board of each match, and of a large share of the boards the newest matches are found soon. The board is
    looked up through the post's topic in the index forum_post_id_topic: reading it from the FTS5 row loaded the
    row's stems too, and the post's own row its text (twice the time of the whole search for a common word)."""
    query = f"{{title body}} : ({_fts5_query(words)})"
    join, board_filter, params = "", "", []
    if len(board_ids) <= FEW_BOARDS or len(board_ids) * 4 < board_count:
        query += f" AND board : ({' OR '.join(_board_token(board_id) for board_id in board_ids)})"
    elif len(board_ids) < board_count:
        # Without statistics (ANALYZE) SQLite would look the id up in the table, whose rows hold the text.
        join = (
            " JOIN forum_post p INDEXED BY forum_post_id_topic ON p.id = forum_post_fts.rowid"
            " JOIN forum_topic t ON t.id = p.topic_id"
        )
        board_filter = f" AND t.board_id IN ({', '.join(['%s'] * len(board_ids))})"
        params = list(board_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT forum_post_fts.rowid, bm25(forum_post_fts, 5.0, 1.0, 0.0) FROM forum_post_fts{join} "
            f"WHERE forum_post_fts MATCH %s{board_filter} ORDER BY forum_post_fts.rowid DESC LIMIT %s",
            [query, *params, MAX_CANDIDATES + 1],
        )
        return [(post_id, -score) for post_id, score in cursor.fetchall()]


def _postgres_tsquery(text):
    """SQL and parameters of the query as a tsquery: each word a phrase of its parts, or (hyphenated) the parts
    written together; stop words drop out. The `german` configuration stems the words as typed: a Snowball stem
    given to it again can be a stop word ("nächsten" → "nach"), which would drop out of the query."""
    terms, params = [], []
    for parts in _query_parts(text):
        if len(parts) > 1:
            terms.append("(phraseto_tsquery('german', %s) || plainto_tsquery('german', %s))")
            params += [" ".join(parts), "".join(parts)]
        else:
            terms.append("phraseto_tsquery('german', %s)")
            params.append(parts[0])
    return " && ".join(terms), params


def _candidates_postgres(text, board_ids, board_count):
    """As `_candidates_sqlite`, over the narrow forum_post_search: the planner fetches the matches in these boards
    through the GIN index of the words and keeps the newest (rare words, or few boards through the index on board
    and post), or walks the entries newest first and stops at the limit (common words in many boards); ts_rank
    only for the candidates."""
    query, params = _postgres_tsquery(text)
    if not query:
        return []
    # A query of stop words only is empty and matches nothing.
    condition, condition_params = f"vector @@ ({query})", params
    if len(board_ids) < board_count:
        condition, condition_params = f"{condition} AND board_id = ANY(%s)", [*params, list(board_ids)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT post_id, ts_rank(vector, {query}) FROM (SELECT post_id, vector FROM forum_post_search "
            f"WHERE {condition} ORDER BY post_id DESC LIMIT %s) AS candidates",
            [*params, *condition_params, MAX_CANDIDATES + 1],
        )
        return cursor.fetchall()


def search_posts(user, text, *, limit=50, page=1, visible_board_ids=None, **filters):
    """Page `page` (of `limit` posts) of the newest MAX_CANDIDATES matching posts `user` may see, best first;
    see SearchResults. `visible_board_ids`: the ids of `permissions.visible_boards(user)` if the caller has read
    them already (the search page, for its list of boards)."""
    words = _query_words(text)
    if not words:
        return SearchResults()
    if visible_board_ids is None:
        visible_board_ids = permissions.visible_boards(user).values_list("pk", flat=True)
    board_ids = sorted(visible_board_ids)
    board = filters.pop("board", None)
    if board is not None:
        board_ids = [board_id for board_id in board_ids if board_id == board.pk]
    if not board_ids:
        return SearchResults()
    if connection.vendor == "postgresql":
        ranked = _candidates_postgres(text, board_ids, Board.objects.count())
    else:
        ranked = _candidates_sqlite(words, board_ids, Board.objects.count())
    # One more than ranked tells whether there are more.
    capped = len(ranked) > MAX_CANDIDATES
    ranked = ranked[:MAX_CANDIDATES]
    if any(value is not None for value in filters.values()):
        matching = set(
            _filtered(Post.objects.filter(pk__in=[post_id for post_id, _score in ranked]), **filters)
            .order_by()
            .values_list("pk", flat=True)
        )
        ranked = [entry for entry in ranked if entry[0] in matching]
    # Best score first, the newer of equal ones first: (score, id) descending, compared in C.
    best = [post_id for post_id, _score in sorted(ranked, key=itemgetter(1, 0), reverse=True)]
    best = best[(page - 1) * limit : page * limit]
    # The index holds exactly the posts visible_posts lets through, by board; the rule itself still decides on
    # the shown posts, so a stale entry could only hide a post, never show one.
    shown = (
        permissions.visible_posts_in_boards(board_ids)
        .filter(pk__in=best)
        .select_related("topic", "topic__board", "author")
        # What a hit shows (forum/search.html): the Markdown source and the rest of the people's rows are not.
        .only(
            "topic_id",
            "number",
            "author_id",
            "created_at",
            "html",
            "topic__title",
            "topic__board__name",
            "author__display_name",
            "author__first_name",
            "author__last_name",
            "author__email",
        )
        .in_bulk()
    )
    return SearchResults(
        _highlight([shown[post_id] for post_id in best if post_id in shown], words),
        total=len(ranked),
        capped=capped,
    )


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
