"""Who may open which WebSocket: every route of config/routing.py, per role, over the real ASGI app.

The application is the one Daphne serves (config/asgi.py), origin check included. A refused
socket is accepted and closed at once with a code from 4400–4404 (so the browser learns why);
a foreign origin is turned away during the handshake.
"""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from forum.consumers import CLOSE_FORBIDDEN, CLOSE_LOGIN_REQUIRED, CLOSE_NOT_FOUND

from .conftest import ROLES, log_in_fully

OPEN = "open"
OWN_ORIGIN = b"http://testserver"

# route → (world → path, {role: expectation}); every role not named gets `default`.
WEBSOCKET_MATRIX = {
    "ws/forum/": (lambda w: "/ws/forum/", {"anonymous": CLOSE_LOGIN_REQUIRED}, OPEN),
    "ws/forum/uebersicht/": (lambda w: "/ws/forum/uebersicht/", {"anonymous": CLOSE_LOGIN_REQUIRED}, OPEN),
    "ws/forum/thema/<id:topic_id>/": (
        lambda w: f"/ws/forum/thema/{w.private_topic.pk}/",
        {
            "anonymous": CLOSE_LOGIN_REQUIRED,
            "pending": CLOSE_FORBIDDEN,
            "professional": CLOSE_FORBIDDEN,
            "guest": CLOSE_FORBIDDEN,  # a guest of one meeting of the closed body, not of its board
            "editor": CLOSE_FORBIDDEN,
        },
        OPEN,
    ),
}
EXTRA_CASES = {
    "public topic": (lambda w: f"/ws/forum/thema/{w.public_topic.pk}/", {}, OPEN),
    "internal topic": (
        lambda w: f"/ws/forum/thema/{w.internal_topic.pk}/",
        {"anonymous": CLOSE_LOGIN_REQUIRED, "pending": CLOSE_FORBIDDEN},
        OPEN,
    ),
    "unknown topic": (lambda w: "/ws/forum/thema/999999/", {}, CLOSE_NOT_FOUND),
    "topic id beyond the database": (lambda w: "/ws/forum/thema/99999999999999999999/", {}, CLOSE_NOT_FOUND),
    "unknown path": (lambda w: "/ws/gibt-es-nicht/", {}, CLOSE_NOT_FOUND),
}


def test_every_websocket_route_has_an_entry():
    from config.routing import websocket_urlpatterns

    routes = {str(pattern.pattern) for pattern in websocket_urlpatterns}
    missing = sorted(routes - set(WEBSOCKET_MATRIX))
    assert not missing, "\n".join(f"add an entry for {route}" for route in missing)
    assert not set(WEBSOCKET_MATRIX) - routes, "entries for WebSocket routes that no longer exist"


@pytest.fixture
def session_cookies(world, settings):
    settings.MFA_TOTP_TOLERANCE = 1

    def cookie(role):
        if role == "anonymous":
            return None
        browser = log_in_fully(world.users[role])
        return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"

    return {role: cookie(role) for role in ROLES}


async def outcome(application, path, cookie, origin=OWN_ORIGIN):
    """OPEN when the socket is accepted and answers a question, else its close code (or "rejected")."""
    headers = [(b"origin", origin)]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _subprotocol = await communicator.connect(timeout=5)
    if not connected:
        return "rejected"
    try:
        # A topic answers with its posts, the other pages with an error frame; a refused socket has closed.
        await communicator.send_json_to({"type": "resume", "last_post_id": 0})
        while True:
            message = await communicator.receive_output(timeout=5)
            if message["type"] == "websocket.close":
                return message.get("code")
            if json.loads(message["text"])["type"] in ("posts", "error"):
                return OPEN
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_each_role_gets_exactly_the_websocket_answers_of_the_matrix(world, asgi_application, session_cookies):
    mismatches = []
    for label, (path_for, special, default) in {**WEBSOCKET_MATRIX, **EXTRA_CASES}.items():
        path = await sync_to_async(path_for)(world)
        for role in ROLES:
            expected = special.get(role, default)
            got = await outcome(asgi_application, path, session_cookies[role])
            if got != expected:
                mismatches.append(f"{role} {label} ({path}): expected {expected}, got {got}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("origin", [b"https://boese.example.com", b"null", b"http://testserver.example.com"])
async def test_a_foreign_origin_is_refused_even_with_a_valid_session(world, asgi_application, session_cookies, origin):
    for path in ("/ws/forum/", "/ws/forum/uebersicht/", f"/ws/forum/thema/{world.private_topic.pk}/"):
        assert await outcome(asgi_application, path, session_cookies["member"], origin=origin) == "rejected"
    # The same member from the site's own origin gets in: the refusal above is the origin's doing.
    assert await outcome(asgi_application, "/ws/forum/", session_cookies["member"]) == OPEN


@pytest.mark.django_db(transaction=True)
async def test_an_unknown_path_is_closed_as_not_found_without_an_application_error(
    world, asgi_application, session_cookies, caplog
):
    for path in ("/ws/gibt-es-nicht/", "/ws/forum/thema/abc/", "/ws/"):
        for role in ("anonymous", "member"):
            assert await outcome(asgi_application, path, session_cookies[role]) == CLOSE_NOT_FOUND
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")]
    # A known path still opens.
    assert await outcome(asgi_application, "/ws/forum/", session_cookies["member"]) == OPEN
