"""Who is on the other end of a WebSocket: the session named by its cookie, and that session's user.

Channels' `AuthMiddlewareStack` does the same, but its session middleware wraps the connection's
`send` to save a modified session with an HTTP response; on a WebSocket that never happens, and the
wrapper still looked at the (lazy) session for every frame sent: a twentieth of a server process's
time when a post went out to 500 readers (bench/README.md, live layer). The user is read once, when
the connection opens, by channels' own `get_user` (backend, active account, session hash).
"""

from importlib import import_module

from channels.auth import get_user
from channels.sessions import CookieMiddleware
from django.conf import settings


class SessionUserMiddleware:
    """Sets `scope["session"]` and `scope["user"]`; `send` reaches the application unwrapped."""

    def __init__(self, inner):
        self.inner = inner
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    async def __call__(self, scope, receive, send):
        session = self.session_store(scope["cookies"].get(settings.SESSION_COOKIE_NAME))
        scope = dict(scope, session=session)
        scope["user"] = await get_user(scope)
        return await self.inner(scope, receive, send)


def session_user_stack(inner):
    """The replacement for channels' `AuthMiddlewareStack`."""
    return CookieMiddleware(SessionUserMiddleware(inner))
