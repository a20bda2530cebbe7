from django.db import migrations
from django.utils.text import slugify

GENERAL_BOARDS = [
    (
        "Allgemeiner Austausch",
        "allgemeiner-austausch",
        "general",
        "Fragen und Hinweise für alle Fachkräfte im Netzwerk.",
        10,
    ),
    ("Ehrenamtsbörse", "ehrenamtsboerse", "pinboard", "Pinnwand für Angebote und Gesuche rund ums Ehrenamt.", 20),
    (
        "Ankündigungen",
        "ankuendigungen",
        "announcements",
        "Mitteilungen der Sozialraumkoordination und der Moderation.",
        5,
    ),
]


def create_search_index(apps, schema_editor):
    from forum.search import create_sqlite_index

    create_sqlite_index(schema_editor)


def drop_search_index(apps, schema_editor):
    from forum.search import drop_sqlite_index

    drop_sqlite_index(schema_editor)


def create_boards(apps, schema_editor):
    Board = apps.get_model("forum", "Board")
    NetworkBody = apps.get_model("network", "NetworkBody")
    for name, slug, kind, description, order in GENERAL_BOARDS:
        Board.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "description": description, "sort_order": order}
        )
    for body in NetworkBody.objects.filter(forum_board__isnull=True):
        slug = slugify(body.slug) or f"gremium-{body.pk}"
        if Board.objects.filter(slug=slug).exists():
            slug = f"{slug}-{body.pk}"
        Board.objects.create(body=body, name=body.name, slug=slug, kind="body")


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial"), ("network", "0001_initial")]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(create_boards, migrations.RunPython.noop),
    ]
