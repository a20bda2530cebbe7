"""A closed SQLite connection with nothing pending serves the next request of the process; others are closed."""

import pytest
from django.db import DatabaseError
from django.db.utils import ConnectionHandler

from core.sqlite import base as kept


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A database file of its own, opened through the project's backend as `settings.DATABASES` would
    (not the test database, which pytest-django guards)."""
    with django_db_blocker.unblock():
        yield from _connections(tmp_path)


def _connections(tmp_path):
    handler = ConnectionHandler({"default": {"ENGINE": "core.sqlite", "NAME": str(tmp_path / "kept.sqlite3")}})
    opened = []

    def connection():
        wrapper = handler.create_connection("default")
        opened.append(wrapper)
        return wrapper

    first = connection()
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE notiz (text TEXT)")
    first.close()
    yield connection
    for wrapper in opened:
        wrapper.close()
    kept.close_idle_connections()


def _raw(wrapper):
    wrapper.ensure_connection()
    return wrapper.connection


def test_the_next_connection_takes_the_closed_one_and_sees_what_others_wrote(database):
    writer = database()
    _raw(writer)
    first = database()
    raw = _raw(first)
    first.close()
    with writer.cursor() as cursor:
        cursor.execute("INSERT INTO notiz VALUES ('Treffen am Dienstag')")

    second = database()

    assert _raw(second) is raw
    with second.cursor() as cursor:
        cursor.execute("SELECT text FROM notiz")
        assert cursor.fetchall() == [("Treffen am Dienstag",)]


def test_a_connection_closed_inside_a_transaction_is_not_kept(database):
    first = database()
    raw = _raw(first)
    raw.execute("BEGIN")
    raw.execute("INSERT INTO notiz VALUES ('halb geschrieben')")
    first.close()

    second = database()

    assert _raw(second) is not raw
    with second.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM notiz")
        assert cursor.fetchone() == (0,)


def test_a_connection_that_saw_an_error_is_not_kept(database):
    first = database()
    raw = _raw(first)
    with pytest.raises(DatabaseError), first.cursor() as cursor:
        cursor.execute("SELECT * FROM gibt_es_nicht")
    first.close()

    assert _raw(database()) is not raw


def test_no_more_than_a_few_idle_connections_are_kept(database):
    wrappers = [database() for _ in range(kept.KEEP + 3)]
    raws = {id(_raw(wrapper)) for wrapper in wrappers}
    for wrapper in wrappers:
        wrapper.close()

    reused = {id(_raw(database())) for _ in range(kept.KEEP + 3)}

    assert len(raws) == kept.KEEP + 3
    assert len(reused & raws) == kept.KEEP
