import logging

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

logger = logging.getLogger(__name__)


@method_decorator(login_not_required, name="dispatch")
class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("todos:today")
        return super().get(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class AboutView(TemplateView):
    template_name = "pages/about.html"


def cache_status() -> str:
    """Return "ok" when the cache answers, "unavailable" when it does not."""
    is_available = getattr(cache, "is_available", None)
    # Process memory (the default cache) is always there.
    if is_available is None or is_available():
        return "ok"
    return "unavailable"


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer ok after a real round trip to the database, and say whether the cache answers.

    A cache outage only makes pages slower, so it is reported but leaves the answer 200.
    """
    status = {"status": "ok", "database": "ok", "cache": cache_status()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return JsonResponse({**status, "status": "error", "database": "unavailable"}, status=503)
    return JsonResponse(status)
