"""Full-text search over the posts a person may see: FTS5 on SQLite, the German text search on PostgreSQL."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import permissions

MAX_CANDIDATES = 500
# Markers that no typed text contains: the snippet is escaped first, then the markers become <mark>.
START, STOP = "\x02", "\x03"


def _highlight(snippet):
    return mark_safe(escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>"))


def _fts5_query(text):
    # Each word becomes a quoted prefix term, so FTS5 operators and quotes in the input are plain text.
    words = ["".join(char for char in word if char.isalnum()) for word in text.split()]
    return " ".join(f'"{word}"*' for word in words if word)


def create_sqlite_index(schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS forum_post_fts USING fts5("
        "title, body, post_id UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
    )


def drop_sqlite_index(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_post_fts")


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
            cursor.execute(
                "INSERT INTO forum_post_fts (title, body, post_id) VALUES (%s, %s, %s)",
                [post.topic.title, post.markdown, post.pk],
            )


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


def _search_sqlite(text, posts, limit):
    query = _fts5_query(text)
    if not query:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT post_id, snippet(forum_post_fts, 1, %s, %s, '…', 24) FROM forum_post_fts "
            "WHERE forum_post_fts MATCH %s ORDER BY bm25(forum_post_fts, 5.0, 1.0) LIMIT %s",
            [START, STOP, query, MAX_CANDIDATES],
        )
        ranked = cursor.fetchall()
    snippets = {post_id: snippet for post_id, snippet in ranked}
    found = {post.pk: post for post in posts.filter(pk__in=snippets)}
    results = []
    for post_id, snippet in ranked:
        if post_id in found:
            post = found[post_id]
            post.highlight = _highlight(snippet)
            results.append(post)
    return results[:limit]


def _search_postgres(text, posts, limit):
    vector = SearchVector("topic__title", weight="A", config="german") + SearchVector(
        "markdown", weight="B", config="german"
    )
    query = SearchQuery(text, config="german", search_type="websearch")
    posts = (
        posts.annotate(
            document=vector,
            rank=SearchRank(vector, query),
            snippet=SearchHeadline("markdown", query, config="german", start_sel=START, stop_sel=STOP),
        )
        .filter(document=query)
        .order_by("-rank", "-created_at")[:limit]
    )
    results = list(posts)
    for post in results:
        post.highlight = _highlight(post.snippet)
    return results


def search_posts(user, text, *, limit=50, **filters):
    text = text.strip()
    if not text:
        return []
    posts = _filtered(user, **filters)
    if connection.vendor == "postgresql":
        return _search_postgres(text, posts, limit)
    return _search_sqlite(text, posts, limit)


