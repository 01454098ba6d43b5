from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Authenticate with a username or an email address, in any case."""

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


def find_user(identifier: str):
    """Return the account a sign-in name points at: a username first, then an email."""
    users = get_user_model()._default_manager
    identifier = identifier.strip()
    if not identifier:
        return None
    return (
        users.filter(username__iexact=identifier).first()
        or users.filter(email__iexact=identifier).exclude(email="").first()
    )
