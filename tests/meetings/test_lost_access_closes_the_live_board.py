"""Losing access through the network's own operations closes the live channel of the body's board at once."""

import pytest
from asgiref.sync import sync_to_async

from forum import consumers
from network import services as network_services
from network.models import Membership
from tests.forum.live_helpers import receive_close, receive_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def topic(make_topic, closed_board, moderator):
    return make_topic(closed_board, moderator, title="Haushalt 2027")


def path(topic):
    return f"/ws/forum/thema/{topic.pk}/"


async def _open(live_socket, topic, user):
    socket = await live_socket(path(topic), user)
    await receive_type(socket, "readers")
    return socket


async def test_leaving_the_body_closes_its_board_channel(live_socket, topic, member, closed_body):
    socket = await _open(live_socket, topic, member)

    await sync_to_async(network_services.leave_body)(member, closed_body)

    assert await receive_close(socket) == consumers.CLOSE_FORBIDDEN


async def test_removal_by_the_moderation_closes_the_board_channel(
    live_socket,
    topic,
    member,
    moderator,
    closed_body,
):
    socket = await _open(live_socket, topic, member)
    membership = await sync_to_async(Membership.objects.get)(user=member, body=closed_body)

    await sync_to_async(network_services.remove_member)(moderator, membership)

    assert await receive_close(socket) == consumers.CLOSE_FORBIDDEN


async def test_deactivating_the_account_closes_the_board_channel(live_socket, topic, member):
    socket = await _open(live_socket, topic, member)

    member.is_active = False
    await sync_to_async(member.save)(update_fields=["is_active"])

    # A deactivated account counts as logged out: the channel closes asking for a login.
    assert await receive_close(socket) == consumers.CLOSE_LOGIN_REQUIRED
