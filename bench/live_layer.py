"""The receiving side of the Redis channel layer alone: CPU per delivered message, stock channels-redis
against the platform's `config.channel_layers.ProcessRedisChannelLayer`, in one process.

    .venv/bin/python bench/live_layer.py [--readers 500,2000] [--messages 10]

Starts a private redis-server on 127.0.0.1, lets N channels of one layer (one server process's
connections) wait in a group, sends group messages from a second layer (another process), and
divides the CPU time of this process (receiver and sender) by the messages delivered. No Daphne, no
WebSocket, no application: what `bench/live.py`'s scaling curve cannot separate from the rest.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from channels_redis.core import RedisChannelLayer  # noqa: E402

from config.channel_layers import ProcessRedisChannelLayer  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from live import Redis  # noqa: E402


async def cpu_per_message(layer_class, url, readers, messages):
    layer, sender = layer_class(hosts=[url]), RedisChannelLayer(hosts=[url])
    channels = [await layer.new_channel() for _reader in range(readers)]
    for channel in channels:
        await layer.group_add("topic", channel)

    async def read(channel):
        for _message in range(messages):
            await layer.receive(channel)

    readers_done = asyncio.gather(*(read(channel) for channel in channels))
    await asyncio.sleep(0.5)
    started = time.process_time()
    for number in range(messages):
        await sender.group_send("topic", {"type": "post", "number": number})
    await readers_done
    used = time.process_time() - started
    await layer.flush()
    await layer.close_pools()
    await sender.close_pools()
    return used * 1e6 / (readers * messages)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", default="500,2000")
    parser.add_argument("--messages", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sozialraum-live-layer-") as folder:
        measure(Redis(folder), args)


def measure(redis, args):
    try:
        for readers in [int(count) for count in args.readers.split(",")]:
            for layer_class in (RedisChannelLayer, ProcessRedisChannelLayer):
                micro = asyncio.run(cpu_per_message(layer_class, redis.url, readers, args.messages))
                print(f"{layer_class.__name__:26} {readers:5} channels: {micro:6.1f} µs CPU per delivered message")
    finally:
        redis.stop()


if __name__ == "__main__":
    main()
