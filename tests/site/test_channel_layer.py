"""Live events cross process boundaries through Redis: what one process sends, another one receives."""

import asyncio

import pytest
from channels_redis.core import RedisChannelLayer

pytestmark = pytest.mark.redis


@pytest.fixture
async def two_processes(redis_url):
    # Two layer instances share nothing but the Redis server, like two Daphne
    # processes or a Daphne process and a db_worker.
    web, worker = RedisChannelLayer(hosts=[redis_url]), RedisChannelLayer(hosts=[redis_url])
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
