from rest_framework.throttling import SimpleRateThrottle

from accounts.models import AccessToken


class PerTokenThrottle(SimpleRateThrottle):
    """Limit each personal access token on its own, so one busy script cannot use up another."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, AccessToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PerUserThrottle(SimpleRateThrottle):
    """Limit each person across their tokens and browser session together."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
