"""The in-memory channel layer of a single server process still expires what nobody picks up."""

from config.channel_layers import SingleProcessChannelLayer


async def test_messages_nobody_reads_expire_at_the_next_sweep(monkeypatch):
    layer = SingleProcessChannelLayer(expiry=1)
    clock = [1000.0]
    monkeypatch.setattr("channels.layers.time.time", lambda: clock[0])
    monkeypatch.setattr("config.channel_layers.time.monotonic", lambda: clock[0])
    gone = await layer.new_channel()
    await layer.group_add("forum.topic.1", gone)
    await layer.send(gone, {"type": "forum.typing"})

    clock[0] += 0.5
    await layer.group_send("forum.topic.1", {"type": "forum.typing"})
    assert gone in layer.groups["forum.topic.1"]

    clock[0] += 1.5
    await layer.group_send("forum.topic.1", {"type": "forum.typing"})
    assert gone not in layer.groups.get("forum.topic.1", {})


async def test_a_reader_gets_group_messages_as_with_channels_own_layer():
    layer = SingleProcessChannelLayer()
    reader = await layer.new_channel()
    await layer.group_add("forum.topic.1", reader)

    await layer.group_send("forum.topic.1", {"type": "forum.post_created", "post_id": 7})

    assert await layer.receive(reader) == {"type": "forum.post_created", "post_id": 7}


async def test_a_reader_with_a_full_queue_misses_the_message_and_the_others_still_get_it():
    layer = SingleProcessChannelLayer(capacity=1)
    stuck, reading = await layer.new_channel(), await layer.new_channel()
    for channel in (stuck, reading):
        await layer.group_add("forum.topic.1", channel)
    await layer.send(stuck, {"type": "forum.typing"})

    await layer.group_send("forum.topic.1", {"type": "forum.post_created", "post_id": 8})

    assert await layer.receive(reading) == {"type": "forum.post_created", "post_id": 8}
    assert await layer.receive(stuck) == {"type": "forum.typing"}
