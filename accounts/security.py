"""Who is signing in, as django-axes counts failed attempts."""

from django.conf import settings
from django.http import HttpRequest

from accounts.backends import find_user

AXES_USERNAME_LENGTH = 255


def client_ip(request: HttpRequest) -> str:
    """Return the client address: from the trusted proxy's header when one is configured.

    Only the header the operator names is believed, and of a comma-separated list
    only the right-most entry, the one the trusted proxy itself appended.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """Count attempts by account, whether it was named by username or email, in any case."""
    submitted = (credentials or {}).get("username") or request.POST.get("username", "")
    user = find_user(submitted)
    # django-axes stores the name in 255 characters; PostgreSQL refuses a longer one.
    return user.username.lower() if user else submitted.strip().lower()[:AXES_USERNAME_LENGTH]
