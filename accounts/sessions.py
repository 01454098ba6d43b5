"""Database sessions that bring their user along: one query signs a request in.

Django's own database sessions take one query for the session and another for
its user. Here the session row names its user in a column (`accounts.Session`),
the session is read joined to that user, and the authentication middleware
(`accounts.middleware.AuthenticationMiddleware`) takes the user from that same
read. Nothing is kept between requests: each request reads both afresh, so a
password change, a deactivation or a sign-out elsewhere counts at once.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    """Django's database session store, reading the session's user with it."""

    def __init__(self, session_key=None):
        super().__init__(session_key)
        # The user row read with the session, or None when there was none to read.
        self.user_row = None

    @classmethod
    def get_model_class(cls):
        from accounts.models import Session

        return Session

    def _get_session_from_db(self):
        # The model's manager reads the user in the same query.
        session = super()._get_session_from_db()
        self.user_row = session.user if session is not None else None
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = user_id_in(data)
        return session


def user_id_in(data: dict) -> int | None:
    """Return the id of the account a session's data signs in, or None."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None
