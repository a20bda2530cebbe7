"""The connections of a server process beat together: one trip records every reader, for every topic."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from forum import presence

pytestmark = pytest.mark.django_db(transaction=True)


async def test_one_beat_records_the_readers_of_two_topics_at_once(
    live_socket, make_topic, closed_board, member, colleague, settings, monkeypatch
):
    settings.FORUM_LIVE_PRESENCE_INTERVAL = 0.2
    beats = []
    record_many = presence._LocalReaders.record_many

    def recorded(readers, entries, expires):
        beats.append(sorted(topic_id for topic_id, _member in entries))
        record_many(readers, entries, expires)

    monkeypatch.setattr(presence._LocalReaders, "record_many", recorded)
    first = await sync_to_async(make_topic)(closed_board, member)
    second = await sync_to_async(make_topic)(closed_board, member, title="Zweites Thema")
    await live_socket(f"/ws/forum/thema/{first.pk}/", member)
    await live_socket(f"/ws/forum/thema/{first.pk}/", colleague)
    await live_socket(f"/ws/forum/thema/{second.pk}/", colleague)

    await asyncio.sleep(0.5)

    assert beats and beats[-1] == sorted([first.pk, first.pk, second.pk])
    # Everyone is still counted: the entries were renewed before they could expire.
    assert await presence.count(first.pk) == 2
    assert await presence.count(second.pk) == 1
