"""Who is signing in, as django-axes counts failed attempts."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from accounts.backends import find_user

AXES_USERNAME_LENGTH = 255


def client_ip(request: HttpRequest) -> str:
    """Return the client address: from the trusted proxy's header when one is configured.

    Only the header the operator names is believed, and of a comma-separated list
    only the right-most entry, the one the trusted proxy itself appended. Anything
    there that is not a plain IP address falls back to the connection's address:
    django-axes stores it in an IP address column, which refuses anything else.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = ip_address_or_none(request.META.get(header, "").split(",")[-1])
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def ip_address_or_none(text: str) -> str | None:
    """Return text as a normalised IPv4 or IPv6 address, or None when it is not one."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A zone ("fe80::1%eth0") names a network card of the proxy, and PostgreSQL refuses it.
    if getattr(address, "scope_id", None):
        return None
    return str(address)


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """Count attempts by account, whether it was named by username or email, in any case."""
    submitted = (credentials or {}).get("username") or request.POST.get("username", "")
    user = find_user(submitted)
    # django-axes stores the name in 255 characters; PostgreSQL refuses a longer one.
    return user.username.lower() if user else submitted.strip().lower()[:AXES_USERNAME_LENGTH]
