"""The calendar feed: a public address whose secret token stands for the person."""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import condition, require_safe

from todos import feed
from todos.models import Project
from todos.views.common import owned_or_404

# Calendar apps fetch every few minutes to hours; a browser or proxy keeps a copy this long.
MAX_AGE = 300
# How long a drawn feed is kept; a change to the person's data names a new one at once.
DRAWN_SECONDS = 3600


def subject(request: HttpRequest, token: str, pk: int | None = None):
    """Return the person and project (or None) the address names, once per request; else 404."""
    if not hasattr(request, "_calendar_feed"):
        user = feed.owner_of(token)
        if user is None:
            raise Http404("No such calendar.")
        project = None if pk is None else owned_or_404(Project.objects.for_user(user), pk)
        request._calendar_feed = (user, project)
    return request._calendar_feed


def feed_etag(request: HttpRequest, token: str, pk: int | None = None) -> str:
    return feed.etag(*subject(request, token, pk))


@login_not_required
@require_safe
@condition(etag_func=feed_etag)
def calendar_feed(request: HttpRequest, token: str, pk: int | None = None) -> HttpResponse:
    """Answer the feed of all the person's dated tasks, or of one project's."""
    user, project = subject(request, token, pk)
    host, _ = split_domain_port(request.get_host())
    origin = f"{request.scheme}://{request.get_host()}"
    # Named by the ETag, which moves with every change to the person's data: several
    # calendar apps (and app processes) asking for an unchanged feed share one drawing.
    key = (
        "todos:feed:"
        + hashlib.blake2b(
            f"{feed_etag(request, token, pk)} {origin}".encode(), digest_size=16
        ).hexdigest()
    )
    body = cache.get(key)
    if body is None:
        body = feed.calendar(
            user,
            feed.tasks_for(user, project),
            name=f"Ticklist: {project.name}" if project else "Ticklist",
            origin=origin,
            host=host,
        )
        cache.set(key, body, DRAWN_SECONDS)
    filename = f"ticklist-project-{project.pk}.ics" if project else "ticklist.ics"
    response = HttpResponse(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(False, filename)},
    )
    patch_cache_control(response, private=True, max_age=MAX_AGE)
    return response
