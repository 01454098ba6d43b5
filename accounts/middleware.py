import zoneinfo

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.backends import read_with_session


def get_user(request):
    """Return the request's user, taken from the session's read where it brought one."""
    if not hasattr(request, "_cached_user"):
        request.session.get(SESSION_KEY)  # reads the session, and with it its user
        offered = read_with_session.set(getattr(request.session, "user_row", None))
        try:
            # Django's own checks still run: the backend, the password's session hash.
            request._cached_user = auth.get_user(request)
        finally:
            read_with_session.reset(offered)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, signing a request in with the one query that reads its session."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


class TimezoneMiddleware:
    """Show every date in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(request.user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
