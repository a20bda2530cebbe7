"""With Redis, the server processes share their renderings of a live post: one process renders a
variant for all of them, and each reader still gets the variant that is theirs."""

from collections import OrderedDict

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from forum import livecache, services

from .live_helpers import receive_type

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class KeptNowhere(OrderedDict):
    """What a process keeps of its renderings, as if every reader were served by a process of its own."""

    def __setitem__(self, key, value):
        pass


async def test_readers_of_one_variant_in_different_processes_share_one_rendering(
    redis_url, settings, monkeypatch, live_socket, make_topic, make_user, add_member, closed_board, closed_body,
    member, moderator, count_renderings,
):  # fmt: skip
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "config.channel_layers.ProcessRedisChannelLayer", "CONFIG": {"hosts": [redis_url]}}
    }
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}}
    monkeypatch.setattr(livecache, "_rendered", KeptNowhere())
    topic = await sync_to_async(make_topic)(closed_board, member)
    readers = []
    for _reader in range(3):
        readers.append(await sync_to_async(make_user)())
        await sync_to_async(add_member)(readers[-1], closed_body)
    sockets = [await live_socket(f"/ws/forum/thema/{topic.pk}/", reader) for reader in readers]
    moderator_socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", moderator)
    try:
        post = await sync_to_async(services.create_post)(member, topic, "Einmal gerendert, überall gezeigt")

        for socket in sockets:
            [shown] = (await receive_type(socket, "posts", timeout=5))["posts"]
            assert shown["id"] == post.pk
            assert "Einmal gerendert" in shown["html"] and "Ausblenden" not in shown["html"]
        [moderated] = (await receive_type(moderator_socket, "posts", timeout=5))["posts"]
        assert "Ausblenden" in moderated["html"]
        # Three readers alike and a moderator: two renderings, however many processes they are in.
        assert len(count_renderings) == 2
    finally:
        for socket in [*sockets, moderator_socket]:
            await socket.disconnect()
        await get_channel_layer().flush()
        await get_channel_layer().close_pools()
