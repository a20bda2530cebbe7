"""The search index holds each post's board, so that a search narrows to the boards a person sees inside the
index (forum.search): SQLite's FTS5 table gets a board column and the post id as its rowid; PostgreSQL gets a
stored vector per post with a GIN index instead of computing every post's vector at each search."""

import django.contrib.postgres.search
from django.db import migrations


# The vector of every post as this migration's code kept it (0011 moved it to a table of its own, so the
# search module's code no longer writes this column).
_VECTOR = (
    "UPDATE forum_post SET search_vector = CASE WHEN forum_post.deleted_at IS NULL AND NOT forum_post.is_hidden "
    "AND NOT t.is_hidden "
    "THEN setweight(to_tsvector('german', t.title), 'A') || setweight(to_tsvector('german', forum_post.html), 'B') "
    "|| array_to_tsvector(ARRAY['§' || t.board_id::text]) END "
    "FROM forum_topic t WHERE t.id = forum_post.topic_id"
)


def forwards(apps, schema_editor):
    from forum import search

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX forum_post_search_vector_gin ON forum_post USING gin (search_vector)")
        schema_editor.execute(_VECTOR)
        return
    schema_editor.execute("DROP TABLE IF EXISTS forum_post_fts")
    search.create_sqlite_index(schema_editor)
    Post = apps.get_model("forum", "Post")
    posts = (
        Post.objects.using(schema_editor.connection.alias)
        .filter(deleted_at__isnull=True, is_hidden=False, topic__is_hidden=False)
        .values_list("topic__title", "html", "pk", "topic__board_id")
        .iterator(chunk_size=2000)
    )
    search.rebuild_sqlite_index(schema_editor.connection, posts)


def backwards(apps, schema_editor):
    # The shape 0006 left (post id as a column); the index stays empty until `rebuild_forum_search_index`
    # of that code runs. On PostgreSQL removing the field takes its index with it.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_post_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE forum_post_fts USING fts5("
            "title, body, post_id UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0009_polls")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
