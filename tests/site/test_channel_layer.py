"""Live events cross process boundaries through Redis: what one process sends, another one receives."""

import asyncio
import random

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from config.channel_layers import ProcessRedisChannelLayer

pytestmark = pytest.mark.redis


@pytest.fixture
async def two_processes(redis_url):
    # Two layer instances share nothing but the Redis server, like two Daphne
    # processes or a Daphne process and a db_worker.
    web, worker = ProcessRedisChannelLayer(hosts=[redis_url]), ProcessRedisChannelLayer(hosts=[redis_url])
    yield web, worker
    await web.flush()
    await web.close_pools()
    await worker.close_pools()


async def test_a_group_message_sent_by_one_process_reaches_a_channel_of_another(two_processes):
    web, worker = two_processes
    channel = await web.new_channel()
    await web.group_add("topic-42", channel)

    await worker.group_send("topic-42", {"type": "post.created", "post_id": 7})

    message = await asyncio.wait_for(web.receive(channel), timeout=5)
    assert message == {"type": "post.created", "post_id": 7}


async def test_a_channel_that_left_the_group_receives_nothing_more(two_processes):
    web, worker = two_processes
    channel = await web.new_channel()
    await web.group_add("topic-42", channel)
    await web.group_discard("topic-42", channel)

    await worker.group_send("topic-42", {"type": "post.created", "post_id": 8})

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(web.receive(channel), timeout=0.5)


async def test_every_channel_of_a_process_gets_every_group_message_in_the_order_sent(two_processes):
    web, worker = two_processes
    channels = [await web.new_channel() for _reader in range(60)]
    for channel in channels:
        await web.group_add("topic-43", channel)
    # One channel also gets messages of its own between the group's, as a connection's access changes do.
    own = random.Random(43).choice(channels)
    sent = []
    for number in range(12):
        await worker.group_send("topic-43", {"type": "post.created", "post_id": number})
        sent.append(("post.created", number))
        if number % 4 == 0:
            await worker.send(own, {"type": "access.changed", "after": number})
            sent.append(("access.changed", number))

    async def read(channel, count):
        return [await asyncio.wait_for(web.receive(channel), timeout=5) for _message in range(count)]

    received = await asyncio.gather(*(read(channel, 15 if channel == own else 12) for channel in channels))

    for channel, messages in zip(channels, received):
        if channel == own:
            assert [(m["type"], m.get("post_id", m.get("after"))) for m in messages] == sent
        else:
            assert [m["post_id"] for m in messages] == list(range(12))


async def test_a_connection_that_goes_away_while_waiting_costs_the_others_nothing(two_processes):
    web, worker = two_processes
    leaving, staying = await web.new_channel(), await web.new_channel()
    for channel in (leaving, staying):
        await web.group_add("topic-44", channel)
    waiting = asyncio.ensure_future(web.receive(leaving))
    staying_waits = asyncio.ensure_future(web.receive(staying))
    await asyncio.sleep(0.1)
    waiting.cancel()

    await worker.group_send("topic-44", {"type": "post.created", "post_id": 9})

    assert await asyncio.wait_for(staying_waits, timeout=5) == {"type": "post.created", "post_id": 9}
    assert waiting.cancelled()


async def test_when_redis_cannot_be_reached_every_waiting_connection_is_told(unused_tcp_port):
    # Nothing listens on this port: the process's task fails at once, and each connection must hear
    # of it to close and let its page reconnect (forum.consumers.ForumConsumer).
    layer = ProcessRedisChannelLayer(hosts=[f"redis://127.0.0.1:{unused_tcp_port}/0"])
    channels = [await layer.new_channel() for _reader in range(3)]

    results = await asyncio.wait_for(
        asyncio.gather(*(layer.receive(channel) for channel in channels), return_exceptions=True), timeout=5
    )

    assert [type(result) for result in results] == [RedisConnectionError] * 3
    await layer.close_pools()
