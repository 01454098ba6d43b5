"""The benchmark's floor: views that do nothing, behind all of Ticklist's middleware."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    """Answer at once, to anyone: the cost of the server, settings and middleware alone."""
    return HttpResponse("hello")


def bare_signed_in(request: HttpRequest) -> HttpResponse:
    """Answer at once, to a signed-in person: that cost plus loading the session and user.

    Login is required (LoginRequiredMiddleware), so the session and the user are read
    before the view runs, as on every signed-in page.
    """
    return HttpResponse("hello")
