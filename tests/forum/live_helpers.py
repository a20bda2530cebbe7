"""Reading what a forum WebSocket sends, for the live tests.

A timeout in `receive_output` cancels the application under test, so waiting for
"nothing more" goes through `receive_nothing`, which leaves it running.
"""


async def receive_type(communicator, wanted, timeout=2):
    """The next message of the wanted type; others (reader counts, for example) are skipped."""
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message["type"] == wanted:
            return message


async def drain(communicator, wait=0.3):
    """Every message that arrives until nothing more comes for `wait` seconds."""
    messages = []
    while not await communicator.receive_nothing(timeout=wait):
        messages.append(await communicator.receive_json_from())
    return messages


async def receive_close(communicator, timeout=2):
    message = await communicator.receive_output(timeout=timeout)
    while message["type"] != "websocket.close":
        message = await communicator.receive_output(timeout=timeout)
    return message.get("code")
