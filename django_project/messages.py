"""Where one-off messages wait for the next page: a cookie first, the session for the rest."""

from django.conf import settings
from django.contrib.messages.storage import cookie, fallback, session


class CookieStorage(cookie.CookieStorage):
    """Django's message cookie, under MESSAGE_COOKIE_NAME and deleted as it was set.

    Django deletes it without Secure or HttpOnly; with a `__Host-` name browsers
    accept it only from HTTPS, for this host alone, which a sibling subdomain
    cannot plant or overwrite.
    """

    @property
    def cookie_name(self) -> str:
        return settings.MESSAGE_COOKIE_NAME

    def _update_cookie(self, encoded_data, response):
        if encoded_data:
            return super()._update_cookie(encoded_data, response)
        response.set_cookie(
            self.cookie_name,
            max_age=0,
            expires="Thu, 01 Jan 1970 00:00:00 GMT",
            domain=settings.SESSION_COOKIE_DOMAIN,
            secure=settings.SESSION_COOKIE_SECURE or None,
            httponly=settings.SESSION_COOKIE_HTTPONLY or None,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )
        return None


class FallbackStorage(fallback.FallbackStorage):
    storage_classes = (CookieStorage, session.SessionStorage)
