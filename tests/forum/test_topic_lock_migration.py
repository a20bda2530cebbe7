"""Closing and locking a topic meant the same; the migration that merged them keeps closed topics closed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("forum", "0006_suspension_board")]
AFTER = [("forum", "0007_merge_topic_closed_into_locked")]


@pytest.fixture
def back_to_the_latest_schema():
    """Migrating back unapplies every later migration (of the forum and of the apps that depend on it):
    the next tests on this database need the whole schema again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_closed_topic_is_locked_after_the_flags_are_merged(back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    board = old.get_model("forum", "Board").objects.create(name="Allgemein", slug="allgemein")
    topics = old.get_model("forum", "Topic").objects
    closed = topics.create(board=board, title="Erledigt", is_closed=True)
    locked = topics.create(board=board, title="Gesperrt", is_locked=True)
    open_topic = topics.create(board=board, title="Offen")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    merged = executor.loader.project_state(AFTER).apps.get_model("forum", "Topic").objects
    assert dict(merged.values_list("title", "is_locked")) == {"Erledigt": True, "Gesperrt": True, "Offen": False}
    assert {closed.pk, locked.pk, open_topic.pk} == set(merged.values_list("pk", flat=True))
