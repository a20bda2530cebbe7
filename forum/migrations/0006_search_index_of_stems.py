"""The SQLite search index now holds German stems of the rendered text instead of the Markdown: index every post anew."""

from django.db import migrations


def reindex(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from forum.search import rebuild_sqlite_index

    Post = apps.get_model("forum", "Post")
    posts = (
        Post.objects.using(schema_editor.connection.alias)
        .filter(deleted_at__isnull=True, is_hidden=False)
        .values_list("topic__title", "html", "pk", "topic__board_id")
        .iterator(chunk_size=500)
    )
    rebuild_sqlite_index(schema_editor.connection, posts)


class Migration(migrations.Migration):
    dependencies = [("forum", "0005_post_has_attachments")]

    # Going back leaves stems in the index; the old code would then find too little, never too much.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
