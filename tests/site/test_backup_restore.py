"""The backup and restore steps of the README, run against the private PostgreSQL cluster:
pg_dump -Fc of the live database, pg_restore into a new one, migrate, and the data is there."""

import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from forum import services as forum_services
from forum.models import Board

from ..deployment import ROOT, database_url, production_environment
from ..servers import postgres_bindir

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run(*command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, f"{' '.join(map(str, command))}:\n{result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restored_into_a_new_database_has_every_post_and_person(make_user, restored_database, tmp_path):
    bindir = postgres_bindir()
    author = make_user("fachkraft@example.org", display_name="Fatma Fachkraft")
    board = Board.objects.create(name="Austausch", slug="austausch", kind=Board.Kind.GENERAL)
    topic = forum_services.create_topic(author, board, "Ferienangebote 2026", "Die Kita am Markt öffnet im Juli.")
    source = database_url()
    target = source.rsplit("/", 1)[0] + f"/{restored_database}"
    dump = tmp_path / "sozialraum.dump"

    # The README's commands, with the cluster's connection URLs for the names.
    run(bindir / "pg_dump", "--format=custom", f"--file={dump}", f"--dbname={source}")
    run(bindir / "createdb", f"--maintenance-db={source}", restored_database)
    run(bindir / "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", dump)
    env = {**production_environment(), "DATABASE_URL": target}
    migrated = run(sys.executable, "manage.py", "migrate", "--noinput", env=env)

    assert "No migrations to apply" in migrated
    with psycopg.connect(target) as restored:
        posts = restored.execute(
            "SELECT p.markdown, u.email FROM forum_post p JOIN network_user u ON u.id = p.author_id WHERE p.topic_id = %s",
            [topic.pk],
        ).fetchall()
    assert posts == [("Die Kita am Markt öffnet im Juli.", "fachkraft@example.org")]
