from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


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
