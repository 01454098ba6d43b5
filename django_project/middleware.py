from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """Add the headers Django has no setting for.

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
