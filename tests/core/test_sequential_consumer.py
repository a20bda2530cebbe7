"""The consumer base of the live layer hands every message to its handler in order, and stays bounded."""

import asyncio

import pytest
from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.testing import WebsocketCommunicator

from core.consumers import INBOX_SIZE, SequentialWebsocketConsumer

pytestmark = [pytest.mark.usefixtures("fresh_channel_layer"), pytest.mark.django_db]


class Recorder(SequentialWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add("readers", self.channel_name)
        await self.accept()
        await self.send(text_data=self.channel_name)

    async def disconnect(self, code):
        await self.channel_layer.group_discard("readers", self.channel_name)

    async def note(self, event):
        await self.send(text_data=str(event["number"]))

    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=f"echo {text_data}")


class Stuck(Recorder):
    """A handler that waits until the test lets it go, like one waiting for a slow database."""

    released = None

    async def note(self, event):
        await self.released.wait()


async def test_messages_from_the_layer_and_the_browser_reach_the_handlers_in_the_order_they_came():
    reader = WebsocketCommunicator(Recorder.as_asgi(), "/")
    assert (await reader.connect())[0]
    await reader.receive_from()
    layer = get_channel_layer()
    for number in range(1, 31):
        await layer.group_send("readers", {"type": "note", "number": number})
    await reader.send_to(text_data="hallo")

    received = [await reader.receive_from() for _ in range(31)]

    assert received == [str(number) for number in range(1, 31)] + ["echo hallo"]
    await reader.disconnect()


async def test_a_reader_that_cannot_keep_up_makes_senders_drop_its_messages_instead_of_buffering_them():
    Stuck.released = asyncio.Event()
    reader = WebsocketCommunicator(Stuck.as_asgi(), "/")
    assert (await reader.connect())[0]
    channel = await reader.receive_from()
    layer = get_channel_layer()
    capacity = layer.get_capacity(channel)

    accepted = 0
    with pytest.raises(ChannelFull):
        for number in range(INBOX_SIZE + capacity + 10):
            await layer.send(channel, {"type": "note", "number": number})
            accepted += 1
            # Let the feeding task move what it can into the inbox.
            await asyncio.sleep(0)

    # One message in the stuck handler, a full inbox, a full layer queue (give or take the one in hand).
    assert INBOX_SIZE + capacity - 1 <= accepted <= INBOX_SIZE + capacity + 2
    Stuck.released.set()
    await reader.disconnect()


class BrokenLayer(InMemoryChannelLayer):
    async def receive(self, channel):
        raise OSError("Verbindung zum Kanal-Server verloren")


async def test_a_failing_channel_layer_ends_the_consumer_with_that_error(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.core.test_sequential_consumer.BrokenLayer"}}
    reader = WebsocketCommunicator(Recorder.as_asgi(), "/")

    assert (await reader.connect())[0]
    await reader.receive_from()

    with pytest.raises(OSError, match="Kanal-Server"):
        await reader.receive_output()
