"""Database sessions whose user and roles come in the same round trip as the session row (PostgreSQL).

Every request of a signed-in person asks for the session, then the user (Django's authentication), then the
roles (network.access): three round trips of about 0.3 ms each before a view starts. The user's id is inside
the signed session data, so the database cannot join it; but a session key never changes its user (logging in
cycles the key, logging out flushes it), so once this process has seen a key, it knows which user to ask for and
sends the three queries as one (PostgreSQL's simple query protocol takes several statements). Nothing is taken
on trust: the session row, the user row and the roles are read fresh every time, the user is used only when the
session itself names it, and `network.middleware.AuthenticationMiddleware` verifies it as Django does.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from core.prepared import PreparedQuery

from . import access
from .models import User

# Session key → id of its user, for the sessions this process has served; cleared when it grows past the limit.
_users_of_sessions: dict[str, int] = {}
_REMEMBERED_SESSIONS = 20_000

# What ModelBackend.get_user asks (`_default_manager.get(pk=…)`).
_USER = PreparedQuery(lambda user_id: User._default_manager.filter(pk=user_id), "user_id")


class SessionStore(db.SessionStore):
    # The session's user with its roles, read with the session; None when they were not.
    prefetched_user: User | None = None

    def load(self):
        key = self.session_key
        user_id = _users_of_sessions.get(key) if key else None
        using = router.db_for_read(self.model)
        connection = connections[using]
        # Several statements in one execute() need psycopg's client-side binding, Django's default.
        if (
            user_id is None
            or connection.vendor != "postgresql"
            or connection.settings_dict["OPTIONS"].get("server_side_binding")
        ):
            return self._remember(super().load())
        session = self.model._meta
        session_sql = (
            f"SELECT {session.get_field('session_data').column} FROM {session.db_table} "
            f"WHERE {session.get_field('session_key').column} = %s AND {session.get_field('expire_date').column} > %s"
        )
        user_sql, user_params = _USER.statement(using, user_id=user_id)
        roles_sql, roles_params = access.roles_statement(user_id, using)
        with connection.cursor() as cursor:
            cursor.execute(
                f"{session_sql}; {user_sql}; {roles_sql}",
                [key, timezone.now(), *user_params, *roles_params],
            )
            sessions = cursor.fetchall()
            cursor.nextset()
            users = cursor.fetchall()
            cursor.nextset()
            roles = cursor.fetchall()
        if not sessions:
            # As db.SessionStore: an unknown or expired key is dropped, and the session starts empty.
            self._session_key = None
            return {}
        data = self._remember(self.decode(sessions[0][0]))
        if users and data.get(SESSION_KEY) == str(user_id):
            [user] = _USER.from_rows(users, using)
            access.keep_roles_from_rows(user, roles, using)
            self.prefetched_user = user
        return data

    def _remember(self, data):
        user_id = data.get(SESSION_KEY)
        if self.session_key and user_id is not None and str(user_id).isdigit():
            if len(_users_of_sessions) >= _REMEMBERED_SESSIONS:
                _users_of_sessions.clear()
            _users_of_sessions[self.session_key] = int(user_id)
        return data
