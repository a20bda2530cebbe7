"""PostgreSQL's search index moves from a vector column of forum_post to the narrow table forum_post_search (post,
board, vector; forum.search): a search for a common word in many boards walked the wide post rows newest first.
The table is filled from the posts here; on SQLite it stays empty (the FTS5 table is the index there), and an
index on (post, topic) lets SQLite's search find each match's board without reading the post's text."""

from importlib import import_module

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from forum import search

# What 0010 kept in forum_post.search_vector, for the way back (its module name starts with a digit).
_OLD_VECTOR = import_module("forum.migrations.0010_search_vector_and_board_in_index")._VECTOR


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX forum_post_search_vector ON forum_post_search USING gin (vector)")
    # A search reads at most a few thousand narrow rows: starting parallel workers for it cost more (about 10 ms on
    # 2 cores) than the scan they share.
    schema_editor.execute("ALTER TABLE forum_post_search SET (parallel_workers = 0)")
    search.rebuild_postgres_index(schema_editor.connection)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX forum_post_search_vector_gin ON forum_post USING gin (search_vector)")
    schema_editor.execute(_OLD_VECTOR)


class Migration(migrations.Migration):
    dependencies = [("forum", "0010_search_vector_and_board_in_index")]

    operations = [
        migrations.CreateModel(
            name="PostSearchEntry",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="forum.post",
                    ),
                ),
                ("board_id", models.IntegerField()),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "db_table": "forum_post_search",
                "indexes": [models.Index(fields=["board_id", "post"], name="forum_post_search_board")],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="post", name="search_vector"),
        migrations.AddIndex(model_name="post", index=models.Index(fields=["id", "topic"], name="forum_post_id_topic")),
    ]
