"""A group is joined once per server process: its messages come from the layer once and reach every
member in the process, in order, however each member takes them."""

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.testing import WebsocketCommunicator

from core import fanout
from core.consumers import SequentialWebsocketConsumer

pytestmark = [pytest.mark.usefixtures("fresh_channel_layer"), pytest.mark.django_db]

GROUP = "readers"


class Member(SequentialWebsocketConsumer):
    async def connect(self):
        await self.join_group(GROUP)
        await self.accept()
        await self.send(text_data="joined")

    async def disconnect(self, code):
        await self.leave_group(GROUP)

    async def note(self, event):
        await self.send(text_data=str(event["number"]))

    async def receive(self, text_data=None, bytes_data=None):
        # Like a reader catching up: the handler waits, and what arrives meanwhile waits for it.
        await asyncio.sleep(0.05)
        await self.send(text_data=f"echo {text_data}")


class DirectMember(Member):
    """Sends `note` to its idle members from one task, as the forum does with live posts."""

    @classmethod
    def hand_out(cls, consumers, message):
        held = [consumer for consumer in consumers if consumer.hold()]
        for consumer in consumers:
            if consumer not in held:
                consumer.offer(message)

        async def send_to_held():
            try:
                for consumer in held:
                    await consumer.send(text_data=f"{message['number']}")
            finally:
                for consumer in held:
                    consumer.release()

        asyncio.get_running_loop().create_task(send_to_held())


async def _open(consumer_class):
    socket = WebsocketCommunicator(consumer_class.as_asgi(), "/")
    assert (await socket.connect())[0]
    assert await socket.receive_from() == "joined"
    return socket


async def test_three_members_in_a_process_make_one_member_of_the_group_and_each_gets_every_message():
    sockets = [await _open(Member) for _ in range(3)]
    layer = get_channel_layer()

    assert len(layer.groups[GROUP]) == 1
    for number in range(1, 6):
        await layer.group_send(GROUP, {"type": "note", "number": number})

    for socket in sockets:
        assert [await socket.receive_from() for _ in range(5)] == ["1", "2", "3", "4", "5"]
        await socket.disconnect()


async def test_the_process_leaves_the_group_with_its_last_member():
    first, second = await _open(Member), await _open(Member)
    layer = get_channel_layer()

    await first.disconnect()
    assert len(layer.groups[GROUP]) == 1
    await second.disconnect()

    assert not layer.groups.get(GROUP)


@pytest.mark.parametrize("member_class", [Member, DirectMember])
async def test_a_busy_member_gets_the_group_messages_after_what_it_was_doing_and_in_order(member_class):
    busy, idle = await _open(member_class), await _open(member_class)
    layer = get_channel_layer()

    await busy.send_to(text_data="hallo")
    await asyncio.sleep(0.01)
    for number in range(1, 4):
        await layer.group_send(GROUP, {"type": "note", "number": number})

    assert [await idle.receive_from() for _ in range(3)] == ["1", "2", "3"]
    assert [await busy.receive_from() for _ in range(4)] == ["echo hallo", "1", "2", "3"]
    await busy.disconnect()
    await idle.disconnect()


async def test_an_idle_member_is_sent_to_directly_without_its_inbox():
    socket = await _open(DirectMember)
    layer = get_channel_layer()

    await layer.group_send(GROUP, {"type": "note", "number": 7})

    assert await socket.receive_from() == "7"
    await socket.disconnect()


class BrokenReceive(InMemoryChannelLayer):
    async def receive(self, channel):
        await asyncio.sleep(0.01)
        raise OSError("Verbindung zum Kanal-Server verloren")


async def test_when_the_layer_fails_every_member_ends_with_the_error(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.core.test_process_groups.BrokenReceive"}}
    socket = WebsocketCommunicator(Member.as_asgi(), "/")
    assert (await socket.connect())[0]
    assert await socket.receive_from() == "joined"

    with pytest.raises(OSError, match="Kanal-Server"):
        await socket.receive_output(timeout=2)


async def test_the_process_renews_its_membership_before_the_layer_forgets_it(monkeypatch):
    monkeypatch.setattr(fanout, "RENEW_SECONDS", 0.05)
    socket = await _open(Member)
    layer = get_channel_layer()
    ((channel, joined_at),) = layer.groups[GROUP].items()

    await asyncio.sleep(0.2)

    assert layer.groups[GROUP][channel] > joined_at
    await socket.disconnect()
