"""With Redis, a post written in one process reaches a reader connected to another, and readers are counted across processes."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from config.channel_layers import ProcessRedisChannelLayer
from forum import live, presence, services

from .live_helpers import drain, receive_type

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


async def test_a_post_saved_in_one_process_reaches_a_reader_in_another(
    redis_url, settings, live_socket, make_topic, closed_board, member, make_user, closed_body, add_member, monkeypatch
):
    # The reader's process: its consumers use the layer from the settings.
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "config.channel_layers.ProcessRedisChannelLayer", "CONFIG": {"hosts": [redis_url]}}
    }
    writer = await sync_to_async(make_user)(display_name="Rita Redis")
    await sync_to_async(add_member)(writer, closed_body)
    topic = await sync_to_async(make_topic)(closed_board, member)
    socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", member)

    # The writer's process: its own connection pool, sharing nothing but the Redis server.
    other_process = ProcessRedisChannelLayer(hosts=[redis_url])
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


async def test_readers_are_counted_across_processes_and_a_dead_process_drops_out(
    redis_url, settings, live_socket, make_topic, closed_board, member
):
    redis_settings = {"hosts": [redis_url]}
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "config.channel_layers.ProcessRedisChannelLayer", "CONFIG": redis_settings}
    }
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}}
    settings.FORUM_LIVE_PRESENCE_INTERVAL = 0.2
    settings.FORUM_LIVE_READERS_DEBOUNCE = 0.05
    topic = await sync_to_async(make_topic)(closed_board, member)
    socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", member)
    other_process = ProcessRedisChannelLayer(hosts=[redis_url])
    try:
        assert [m["count"] for m in await drain(socket) if m["type"] == "readers"] == [1]

        # A reader on another server process: its count reaches this one through Redis.
        await presence.arrive(other_process, topic.pk, "user:999999", "other-process!reader")
        # That process dies without a goodbye; this reader's heartbeat notices once its entry expired.
        counts = [m["count"] for m in await drain(socket, wait=1.0) if m["type"] == "readers"]
        assert counts == [2, 1]
    finally:
        await socket.disconnect()
        await other_process.flush()
        await other_process.close_pools()
        await get_channel_layer().close_pools()
