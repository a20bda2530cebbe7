"""A newcomer is told the reader count on its own connection; the others hear of a change from one
broadcast per interval and topic, however many server processes serve the topic."""

import asyncio
import os
import subprocess
import sys

import pytest
from channels.layers import get_channel_layer
from django.core.cache import caches

from forum import live

from .live_helpers import drain

pytestmark = pytest.mark.django_db(transaction=True)

# Another server process: it shares only the Redis server with the test. One reader joins there; the
# process says so and keeps running (its broadcast going out) until told to stop.
OTHER_PROCESS = """
import asyncio, sys
import django

django.setup()
from channels.layers import get_channel_layer
from django.conf import settings
from forum import presence

async def main(topic_id):
    settings.FORUM_LIVE_READERS_DEBOUNCE = float(sys.argv[2])
    await presence.arrive(get_channel_layer(), topic_id, "user:900001", "other-process!reader")
    print("joined", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

asyncio.run(main(int(sys.argv[1])))
"""


@pytest.fixture
def topic(make_topic, closed_board, member):
    return make_topic(closed_board, member)


def path(topic):
    return f"/ws/forum/thema/{topic.pk}/"


def reader_counts(messages):
    return [message["count"] for message in messages if message["type"] == "readers"]


async def test_a_second_tab_is_told_the_count_without_a_broadcast_to_everyone(
    live_socket, topic, member, settings, monkeypatch
):
    settings.FORUM_LIVE_READERS_DEBOUNCE = 0.05
    caches["default"].clear()
    first = await live_socket(path(topic), member)
    assert reader_counts(await drain(first)) == [1]
    layer = get_channel_layer()
    broadcasts = []
    group_send = layer.group_send

    async def counting_group_send(group, message):
        broadcasts.append(message["type"])
        await group_send(group, message)

    monkeypatch.setattr(layer, "group_send", counting_group_send)

    second_tab = await live_socket(path(topic), member)

    assert reader_counts(await drain(second_tab)) == [1]
    # Still one reader: the tab already open hears nothing, and nothing was sent to the group.
    assert reader_counts(await drain(first)) == []
    assert "forum.readers" not in broadcasts


@pytest.mark.redis
async def test_processes_sharing_redis_send_one_reader_count_per_interval_between_them(
    redis_url, settings, live_socket, topic, member, colleague
):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "config.channel_layers.ProcessRedisChannelLayer", "CONFIG": {"hosts": [redis_url]}}
    }
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}}
    # Long enough that both readers here join while the other process's broadcast holds the interval.
    settings.FORUM_LIVE_READERS_DEBOUNCE = 4.0
    layer = get_channel_layer()
    # Hears every message to the topic's group, whichever process sends it.
    listener = await layer.new_channel()
    await layer.group_add(live.topic_group(topic.pk), listener)
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROCESS, str(topic.pk), "4.0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert (await asyncio.wait_for(asyncio.to_thread(other.stdout.readline), 60)).strip() == "joined"
        assert await asyncio.wait_for(layer.receive(listener), 10) == {"type": "forum.readers", "count": 1}

        # Two people open the topic on this process: each is told the count at once, on its own connection.
        first = await live_socket(path(topic), member)
        second = await live_socket(path(topic), colleague)
        assert reader_counts(await drain(second)) == [3]

        # This process sends nothing while the other's broadcast holds the interval, and afterwards one
        # broadcast with the true count: not one per join, not one per process.
        assert await asyncio.wait_for(layer.receive(listener), 15) == {"type": "forum.readers", "count": 3}
        assert reader_counts(await drain(first)) == [2, 3]
        assert reader_counts(await drain(second)) == []
        assert await drain_channel(layer, listener) == []
    finally:
        other.communicate("stop\n", timeout=30)
        await layer.flush()
        await layer.close_pools()


async def drain_channel(layer, channel, wait=1.0):
    messages = []
    while True:
        try:
            messages.append(await asyncio.wait_for(layer.receive(channel), wait))
        except TimeoutError:
            return messages
