import logging

from django.http import Http404
from django.utils.cache import patch_cache_control

logger = logging.getLogger("ticklist.access")


class SecurityHeadersMiddleware:
    """Add the headers Django has no setting for, and log refused object lookups.

    Cross-Origin-Resource-Policy keeps other sites from embedding our responses;
    pages for a signed-in person are never stored by a browser or proxy cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_exception(self, request, exception):
        match = request.resolver_match
        if isinstance(exception, Http404) and match and "pk" in match.kwargs:
            # Someone asked for an object that is not theirs, or not there at all.
            logger.warning(
                "object lookup denied",
                extra={
                    "user_id": getattr(request.user, "pk", None),
                    "view": match.view_name,
                    "object_id": match.kwargs["pk"],
                    "method": request.method,
                },
            )
