"""Database sessions that bring their user along: one query signs a request in.

Django's own database sessions take one query for the session and another for
its user. Here the session row names its user in a column (`accounts.Session`),
the session is read joined to that user, and the authentication middleware
(`accounts.middleware.AuthenticationMiddleware`) takes the user from that same
read. Nothing is kept between requests: each request reads both afresh, so a
password change, a deactivation or a sign-out elsewhere counts at once.
"""

import logging

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone


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
        try:
            session = self.model.objects.select_related("user").get(
                session_key=self.session_key, expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                # As Django's own store reports it.
                logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
                logger.warning(str(error))
            self._session_key = None
            return None
        self.user_row = session.user
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
