"""Who else is here: typing indicator, reader count, unread counts, the badge and lost access."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import caches

from forum import consumers, presence, services
from network.models import Membership

from .live_helpers import drain, receive_close, receive_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quick_reader_counts(settings):
    """Counts go out at most once per debounce interval; a second is too long to wait for in tests.

    The typing throttle lives in the cache, which outlives a test: ids come again in the next one.
    """
    settings.FORUM_LIVE_READERS_DEBOUNCE = 0.05
    caches["default"].clear()


@pytest.fixture
def topic(make_topic, closed_board, member):
    return make_topic(closed_board, member)


def path(topic):
    return f"/ws/forum/thema/{topic.pk}/"


async def test_typing_reaches_the_others_but_not_the_person_typing(live_socket, topic, member, colleague):
    typing_socket = await live_socket(path(topic), member)
    reading_socket = await live_socket(path(topic), colleague)

    await typing_socket.send_json_to({"type": "typing"})
    await typing_socket.send_json_to({"type": "typing"})  # within the throttle: dropped

    seen = [m for m in await drain(reading_socket) if m["type"] == "typing"]
    assert seen == [{"type": "typing", "user_id": member.pk, "name": "Mia Mitglied"}]
    assert not [m for m in await drain(typing_socket) if m["type"] == "typing"]


async def test_people_who_may_not_write_cannot_announce_typing(
    live_socket, make_board, make_topic, member, professional
):
    public_topic = await sync_to_async(make_topic)(await sync_to_async(make_board)(is_public=True), professional)
    anonymous = await live_socket(path(public_topic))
    reader = await live_socket(path(public_topic), professional)

    await anonymous.send_json_to({"type": "typing"})

    assert not [m for m in await drain(reader) if m["type"] == "typing"]


async def latest_readers(socket):
    counts = [message["count"] for message in await drain(socket) if message["type"] == "readers"]
    return counts[-1] if counts else None


async def test_the_reader_count_follows_people_opening_and_leaving_the_topic(live_socket, topic, member, colleague):
    first = await live_socket(path(topic), member)
    assert await latest_readers(first) == 1

    second = await live_socket(path(topic), colleague)
    assert await latest_readers(second) == 2
    assert await latest_readers(first) == 2

    # A second tab of the same person is still one reader: nothing changes.
    await live_socket(path(topic), colleague)
    assert await latest_readers(first) is None

    await second.disconnect()
    assert await latest_readers(first) is None  # Kai's other tab is still open


async def test_readers_that_stop_sending_heartbeats_expire(live_socket, topic, member, settings):
    settings.FORUM_LIVE_PRESENCE_INTERVAL = 0.2
    socket = await live_socket(path(topic), member)
    assert await latest_readers(socket) == 1
    # A connection in a process that died: it announced itself once and then fell silent.
    await presence.arrive(get_channel_layer(), topic.pk, "user:999999", "elsewhere!gone")
    # 2.5 missed intervals later the living reader's heartbeat notices that it is alone again.
    counts = [m["count"] for m in await drain(socket, wait=1.0) if m["type"] == "readers"]
    assert counts == [2, 1]


async def test_the_board_list_gets_the_new_unread_count(live_socket, topic, closed_board, member, colleague):
    socket = await live_socket("/ws/forum/uebersicht/", colleague)

    await sync_to_async(services.create_post)(member, topic, "Neues für die Übersicht")

    message = await receive_type(socket, "unread")
    assert message == {"type": "unread", "board_id": closed_board.pk, "count": 1, "label": "1 ungelesenes Thema"}


async def test_the_board_list_hears_nothing_from_boards_it_cannot_see(live_socket, topic, professional, member):
    socket = await live_socket("/ws/forum/uebersicht/", professional)
    await sync_to_async(services.create_post)(member, topic, "Nur für Mitglieder")
    assert not [m for m in await drain(socket) if m["type"] == "unread"]


async def test_the_badge_counts_new_and_read_notifications(live_socket, topic, member, colleague):
    badge = await live_socket("/ws/forum/", member)

    # The topic's author watches it, so a reply notifies them.
    await sync_to_async(services.create_post)(colleague, topic, "Eine Antwort")
    assert (await receive_type(badge, "notifications"))["count"] == 1

    await sync_to_async(services.mark_notifications_read)(member)
    assert (await receive_type(badge, "notifications"))["count"] == 0


async def test_the_badge_and_board_list_are_for_logged_in_people_only(live_socket):
    for path_ in ("/ws/forum/", "/ws/forum/uebersicht/"):
        socket = await live_socket(path_)
        assert await receive_close(socket) == consumers.CLOSE_LOGIN_REQUIRED


async def test_losing_the_membership_closes_the_topic_connection(live_socket, topic, member, colleague, closed_body):
    socket = await live_socket(path(topic), colleague)

    await sync_to_async(Membership.objects.filter(user=colleague, body=closed_body).delete)()

    assert await receive_close(socket) == consumers.CLOSE_FORBIDDEN


async def test_losing_the_membership_stops_unread_counts_for_that_board(
    live_socket, topic, member, colleague, closed_body
):
    socket = await live_socket("/ws/forum/uebersicht/", colleague)
    await sync_to_async(Membership.objects.filter(user=colleague, body=closed_body).delete)()
    await drain(socket)

    await sync_to_async(services.create_post)(member, topic, "Nicht mehr für Kai")

    assert not [m for m in await drain(socket) if m["type"] == "unread"]


async def test_a_hidden_topic_closes_the_connections_of_readers_who_may_not_see_it(
    live_socket, topic, moderator, colleague
):
    socket = await live_socket(path(topic), colleague)
    opening = await sync_to_async(lambda: topic.posts.get(number=1))()

    await sync_to_async(services.set_post_hidden)(moderator, opening, True)

    assert await receive_close(socket) == consumers.CLOSE_FORBIDDEN


async def test_a_board_made_private_closes_anonymous_readers(live_socket, make_board, make_topic, professional):
    board = await sync_to_async(make_board)(is_public=True)
    public_topic = await sync_to_async(make_topic)(board, professional)
    socket = await live_socket(path(public_topic))

    board.is_public = False
    await sync_to_async(board.save)()

    assert await receive_close(socket) == consumers.CLOSE_LOGIN_REQUIRED
