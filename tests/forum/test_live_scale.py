"""The live layer under many readers: O(1) presence messages, one rendering per variant, full queues."""

import contextvars

import pytest
from asgiref.sync import sync_to_async
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer
from django.core.cache import caches

from forum import consumers, services
from network.models import Membership

from .live_helpers import drain, receive_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quick_reader_counts(settings):
    """A second between counts is too long to wait for; the typing throttle in the cache outlives a test."""
    settings.FORUM_LIVE_READERS_DEBOUNCE = 0.05
    caches["default"].clear()


@pytest.fixture
def topic(make_topic, closed_board, member):
    return make_topic(closed_board, member)


def path(topic):
    return f"/ws/forum/thema/{topic.pk}/"


@pytest.fixture
def count_layer_calls(monkeypatch):
    """The messages the consumers hand to the layer: to a group, or directly to one channel.

    The in-memory layer delivers a group message by sending it to each member; those sends
    happen inside `group_send` and are not counted as direct ones.
    """
    delivering = contextvars.ContextVar("delivering", default=False)

    def start():
        layer = get_channel_layer()
        calls = {"group_send": [], "send": []}
        original_group_send, original_send = layer.group_send, layer.send

        async def group_send(group, message):
            calls["group_send"].append(message["type"])
            token = delivering.set(True)
            try:
                return await original_group_send(group, message)
            finally:
                delivering.reset(token)

        async def send(channel, message):
            if not delivering.get():
                calls["send"].append(message["type"])
            return await original_send(channel, message)

        monkeypatch.setattr(layer, "group_send", group_send)
        monkeypatch.setattr(layer, "send", send)
        return calls

    return start


async def test_more_readers_than_a_queue_holds_all_stay_connected_and_agree_on_the_count(
    live_socket, make_board, make_topic, professional, count_layer_calls
):
    # Anonymous readers count one each: 120 distinct readers, more than the 100 a reader's queue holds.
    public_topic = await sync_to_async(make_topic)(await sync_to_async(make_board)(is_public=True), professional)
    calls = count_layer_calls()
    sockets = [await live_socket(path(public_topic)) for _reader in range(120)]

    for socket in sockets:
        counts = [m["count"] for m in await drain(socket, wait=0.2) if m["type"] == "readers"]
        assert counts and counts[-1] == 120
    # Joining announces nothing to each other reader directly: at most one group message per join.
    assert calls["send"] == []
    assert 1 <= calls["group_send"].count("forum.readers") <= 120

    await sockets[0].disconnect()
    assert [m["count"] for m in await drain(sockets[1]) if m["type"] == "readers"] == [119]


async def test_a_full_queue_costs_the_message_not_the_connection(live_socket, topic, member, monkeypatch):
    socket = await live_socket(path(topic), member)
    layer = get_channel_layer()

    async def full(*args, **kwargs):
        raise ChannelFull()

    monkeypatch.setattr(layer, "group_send", full)
    await socket.send_json_to({"type": "typing"})
    await socket.disconnect()  # the goodbye's count broadcast also meets a full queue

    second = await live_socket(path(topic), member)
    await second.send_json_to({"type": "resume", "last_post_id": 0})
    assert (await receive_type(second, "posts"))["posts"]


async def test_typing_in_two_tabs_is_announced_once(live_socket, topic, member, colleague_factory):
    colleague = await colleague_factory()
    first_tab = await live_socket(path(topic), member)
    second_tab = await live_socket(path(topic), member)
    reader = await live_socket(path(topic), colleague)

    await first_tab.send_json_to({"type": "typing"})
    await second_tab.send_json_to({"type": "typing"})

    assert len([m for m in await drain(reader) if m["type"] == "typing"]) == 1


@pytest.fixture
def colleague_factory(make_user, closed_body, add_member):
    async def make(role=Membership.Role.MEMBER, name=None):
        def create():
            user = make_user(**({"display_name": name} if name else {}))
            add_member(user, closed_body, role)
            return user

        return await sync_to_async(create)()

    return make


async def test_a_new_post_is_rendered_once_per_variant_and_each_reader_gets_theirs(
    live_socket, topic, member, moderator, colleague_factory, count_renderings
):
    readers = [await colleague_factory() for _reader in range(5)]
    reader_sockets = [await live_socket(path(topic), reader) for reader in readers]
    author_socket = await live_socket(path(topic), member)
    moderator_socket = await live_socket(path(topic), moderator)

    post = await sync_to_async(services.create_post)(member, topic, "Für alle, einmal gerendert")

    for socket in reader_sockets:
        [shown] = (await receive_type(socket, "posts"))["posts"]
        assert shown["id"] == post.pk
        assert "Melden" in shown["html"] and "Bearbeiten" not in shown["html"] and "Ausblenden" not in shown["html"]
    [own] = (await receive_type(author_socket, "posts"))["posts"]
    assert "Bearbeiten" in own["html"] and "Melden" not in own["html"]
    [moderated] = (await receive_type(moderator_socket, "posts"))["posts"]
    assert "Ausblenden" in moderated["html"]
    # Five readers, the author and a moderator: three variants, three renderings, not seven.
    assert len(count_renderings) == 3


async def test_a_hidden_post_shows_its_content_only_to_its_author_and_the_moderators(
    live_socket, topic, member, moderator, colleague_factory
):
    writer = await colleague_factory(name="Wanda Schreiber")
    reader = await colleague_factory()
    post = await sync_to_async(services.create_post)(writer, topic, "Ein umstrittener Satz")
    reader_socket = await live_socket(path(topic), reader)
    writer_socket = await live_socket(path(topic), writer)
    moderator_socket = await live_socket(path(topic), moderator)

    await sync_to_async(services.set_post_hidden)(moderator, post, True)

    [placeholder] = (await receive_type(reader_socket, "posts"))["posts"]
    assert (
        "umstrittener" not in placeholder["html"] and placeholder["author"] == "" and placeholder["author_id"] is None
    )
    assert "von der Moderation ausgeblendet" in placeholder["html"]
    for socket in (writer_socket, moderator_socket):
        [shown] = (await receive_type(socket, "posts"))["posts"]
        assert "umstrittener" in shown["html"] and shown["author"] == "Wanda Schreiber"


async def test_reactions_are_shown_as_pressed_only_to_the_people_who_reacted(
    live_socket, topic, member, colleague_factory
):
    writer = await colleague_factory()
    reader = await colleague_factory()
    post = await sync_to_async(services.create_post)(writer, topic, "Erste Fassung")
    await sync_to_async(services.toggle_reaction)(member, post, "thumbs_up")
    member_socket = await live_socket(path(topic), member)
    reader_socket = await live_socket(path(topic), reader)

    await sync_to_async(services.edit_post)(writer, post, "Zweite Fassung")

    assert 'aria-pressed="true"' in (await receive_type(member_socket, "posts"))["posts"][0]["html"]
    assert 'aria-pressed="true"' not in (await receive_type(reader_socket, "posts"))["posts"][0]["html"]


async def test_a_locked_topic_takes_the_reply_links_out_of_new_posts(live_socket, topic, member, moderator):
    socket = await live_socket(path(topic), member)
    await sync_to_async(services.set_topic_flag)(moderator, topic, "is_locked", True)

    await sync_to_async(services.create_post)(moderator, topic, "Nur noch die Moderation schreibt hier.")

    [shown] = (await receive_type(socket, "posts"))["posts"]
    assert "Zitieren" not in shown["html"]


async def test_losing_access_between_two_posts_stops_the_second(
    live_socket, topic, member, colleague_factory, closed_body
):
    reader = await colleague_factory()
    socket = await live_socket(path(topic), reader)
    await sync_to_async(services.create_post)(member, topic, "Noch sichtbar")
    await receive_type(socket, "posts")

    await sync_to_async(Membership.objects.filter(user=reader, body=closed_body).delete)()
    await sync_to_async(services.create_post)(member, topic, "Nicht mehr für dich")

    messages = []
    while True:
        output = await socket.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            break
        messages.append(output)
    assert output["code"] == consumers.CLOSE_FORBIDDEN
    assert not any("Nicht mehr" in message.get("text", "") for message in messages)
