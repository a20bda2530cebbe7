from django.core.management.base import BaseCommand
from django.db import connection

from forum import search
from forum.models import Post


class Command(BaseCommand):
    help = "Indexiert alle Forenbeiträge neu für die Suche (SQLite: FTS5-Tabelle; PostgreSQL: Suchvektor je Beitrag)."

    def handle(self, *args, **options):
        if connection.vendor == "postgresql":
            count = search.rebuild_postgres_index(connection)
        else:
            posts = (
                Post.objects.filter(deleted_at__isnull=True, is_hidden=False, topic__is_hidden=False)
                .values_list("topic__title", "html", "pk", "topic__board_id")
                .iterator(chunk_size=2000)
            )
            count = search.rebuild_sqlite_index(connection, posts)
        self.stdout.write(f"{count} Beiträge indexiert.")
