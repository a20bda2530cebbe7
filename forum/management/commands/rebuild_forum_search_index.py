from django.core.management.base import BaseCommand
from django.db import connection

from forum import search
from forum.models import Post


class Command(BaseCommand):
    help = "Indexiert alle Forenbeiträge neu für die Suche (nur SQLite; PostgreSQL durchsucht die Tabelle selbst)."

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            self.stdout.write("PostgreSQL braucht keinen eigenen Suchindex.")
            return
        posts = (
            Post.objects.filter(deleted_at__isnull=True, is_hidden=False)
            .values_list("topic__title", "html", "pk")
            .iterator(chunk_size=500)
        )
        count = search.rebuild_sqlite_index(connection, posts)
        self.stdout.write(f"{count} Beiträge indexiert.")
