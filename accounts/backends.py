from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# The user row a request's session was read with (accounts.sessions), offered to
# `get_user` while the authentication middleware signs that one request in.
read_with_session: ContextVar = ContextVar("read_with_session", default=None)


class UsernameOrEmailBackend(ModelBackend):
    """Authenticate with a username or a confirmed email address, in any case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Hash anyway so a missing account takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """Return the signed-in account, from the session's own read when it brought it."""
        user = read_with_session.get()
        if user is None or user.pk != user_id:
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None


def find_user(identifier: str):
    """Return the account a sign-in name points at: an email if it has “@”, else a username.

    Never both: a username that looked like someone's email address would
    otherwise stand in front of that person's account.
    """
    users = get_user_model()._default_manager
    identifier = identifier.strip()
    if not identifier:
        return None
    if "@" in identifier:
        return users.filter(email__iexact=identifier).first()
    return users.filter(username__iexact=identifier).first()
