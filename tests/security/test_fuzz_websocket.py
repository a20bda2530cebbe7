"""Whatever a browser sends over the forum's WebSocket: the connection answers or closes cleanly.

Random text and binary frames, oversized ones, non-JSON, unknown types and JSON with fields of
the wrong type reach the real ASGI application; it must never crash, and nothing is stored.
"""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from forum.consumers import MAX_FRAME_BYTES

from .conftest import log_in_fully
from .test_url_authorization_matrix import changed_tables, fingerprint
from .test_websocket_authorization import OWN_ORIGIN

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
frames = st.one_of(
    st.text(max_size=300).map(lambda text: {"text": text}),
    st.binary(max_size=300).map(lambda data: {"bytes": data}),
    st.just({"text": "x" * (MAX_FRAME_BYTES + 1)}),
    json_values.map(lambda value: {"text": json.dumps(value)}),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["typing", "resume", "unbekannt", "", None, 1])},
        optional={
            "last_post_id": json_values,
            "shown": json_values
            | st.dictionaries(
                st.from_regex(r"\A[0-9]{1,3}\Z") | st.text(max_size=5), st.text(max_size=4) | st.integers(), max_size=5
            ),
        },
    ).map(lambda message: {"text": json.dumps(message)}),
)


@pytest.fixture
def member_cookie(world, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    browser = log_in_fully(world.users["member"])
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


async def answer_of(communicator):
    """The next answer from the server, a JSON frame or the close event; reader counts come unasked."""
    while True:
        message = await communicator.receive_output(timeout=5)
        if message["type"] == "websocket.close":
            return message
        frame = json.loads(message["text"])
        if frame["type"] != "readers":
            return frame


@pytest.mark.django_db(transaction=True)
async def test_random_frames_get_an_answer_or_a_clean_close_and_store_nothing(
    world,
    asgi_application,
    member_cookie,  # noqa: F811
):
    path = f"/ws/forum/thema/{world.private_topic.pk}/"
    before = await sync_to_async(fingerprint)()
    communicator = WebsocketCommunicator(
        asgi_application, path, headers=[(b"origin", OWN_ORIGIN), (b"cookie", member_cookie.encode())]
    )
    connected, _subprotocol = await communicator.connect(timeout=5)
    assert connected

    seen = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(frame=frames)
    @example(frame={"text": json.dumps({"type": "resume", "last_post_id": True})})
    @example(frame={"text": json.dumps({"type": "resume", "last_post_id": 10**30})})
    @example(frame={"bytes": b"\x00\xff"})
    @example(
        frame={"text": json.dumps({"type": "resume", "last_post_id": 0, "shown": {str(n): "x" for n in range(1, 200)}})}
    )
    @example(frame={"text": "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")})
    def send(frame):
        seen.append(frame)

    send()
    for frame in seen:
        await communicator.send_input({"type": "websocket.receive", **frame})
        message = json.loads(frame.get("text") or "null") if _is_json(frame.get("text")) else None
        if isinstance(message, dict) and message.get("type") == "typing":
            continue  # announced to the others in the topic, not answered
        answer = await answer_of(communicator)
        if answer.get("event") == "edited":
            # The posts the frame names in another version than theirs come before the catch-up.
            answer = await answer_of(communicator)
            assert answer.get("event") == "resume", f"{frame!r} → {answer!r}"
        assert answer.get("type") in ("error", "posts"), f"{frame!r} → {answer!r}"
        if answer["type"] == "posts":
            assert message == {**message, "type": "resume"} and type(message["last_post_id"]) is int
    # Still alive and still the member's view of the topic after everything above.
    await communicator.send_json_to({"type": "resume", "last_post_id": 0})
    answer = await answer_of(communicator)
    assert answer["type"] == "posts" and len(answer["posts"]) == 2
    await communicator.disconnect()
    assert changed_tables(before, await sync_to_async(fingerprint)()) == []


def _is_json(text):
    if text is None:
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
