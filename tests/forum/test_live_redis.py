"""With Redis, a post written in one process reaches a reader connected to another."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer

from forum import live, services

from .live_helpers import receive_type

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


async def test_a_post_saved_in_one_process_reaches_a_reader_in_another(
    redis_url, settings, live_socket, make_topic, closed_board, member, make_user, closed_body, add_member, monkeypatch
):
    # The reader's process: its consumers use the layer from the settings.
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [redis_url]}}
    }
    writer = await sync_to_async(make_user)(display_name="Rita Redis")
    await sync_to_async(add_member)(writer, closed_body)
    topic = await sync_to_async(make_topic)(closed_board, member)
    socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", member)

    # The writer's process: its own connection pool, sharing nothing but the Redis server.
    other_process = RedisChannelLayer(hosts=[redis_url])
    assert other_process is not get_channel_layer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: other_process)
    try:
        post = await sync_to_async(services.create_post)(writer, topic, "Über Redis verteilt")
        message = await receive_type(socket, "posts", timeout=5)
        assert [shown["id"] for shown in message["posts"]] == [post.pk]
    finally:
        await socket.disconnect()
        await other_process.flush()
        await other_process.close_pools()
        await get_channel_layer().close_pools()
