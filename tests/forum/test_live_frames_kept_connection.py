"""Live frames are rendered on one kept database connection, and a broken one is replaced in time."""

import threading

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.db.backends.signals import connection_created

from forum import livecache, services

from .live_helpers import receive_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def topic(make_topic, closed_board, member):
    return make_topic(closed_board, member, title="Sommerfest im Quartier")


def _terminate(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def renderer_connections():
    """How often the live renderer opened a database connection."""
    opened = []

    def count(sender, connection, **kwargs):
        if threading.current_thread().name.startswith("live-frames"):
            opened.append(connection)

    connection_created.connect(count)
    yield opened
    connection_created.disconnect(count)


@pytest.mark.both_databases
async def test_three_posts_are_rendered_on_one_connection(live_socket, topic, member, writer):
    socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", member)
    used = []

    for text, shown in (("Wer bringt Kuchen mit?", "Kuchen"), ("Ich backe **Apfelkuchen**.", "<strong>Apfelkuchen</strong>"),
                        ("Und ich bringe Saft.", "Saft")):  # fmt: skip
        await sync_to_async(services.create_post)(writer, topic, text)
        message = await receive_type(socket, "posts")
        assert shown in message["posts"][0]["html"]
        used.append(livecache._renderer.submit(lambda: connection.connection).result())

    assert used[0] is not None and used[0] is used[1] is used[2]


@pytest.mark.postgres
async def test_a_post_after_the_kept_connection_broke_still_reaches_its_readers(
    live_socket, topic, member, writer, renderer_connections
):
    socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", member)
    await sync_to_async(services.create_post)(writer, topic, "Erster Beitrag")
    await receive_type(socket, "posts")

    # As when the database server restarts: the server ends the renderer's session.
    renderer_pid = livecache._renderer.submit(lambda: connection.connection.info.backend_pid).result()
    await sync_to_async(_terminate)(renderer_pid)
    await sync_to_async(services.create_post)(writer, topic, "Zweiter Beitrag nach dem Neustart")

    message = await receive_type(socket, "posts")
    assert "Zweiter Beitrag nach dem Neustart" in message["posts"][0]["html"]
    assert len(renderer_connections) == 2
