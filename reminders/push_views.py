"""Turning browser notifications on and off, and the service worker that shows them."""

import functools
import hashlib
import json
import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST, require_safe

from reminders import push
from reminders.models import PushSubscription

# Where in the session the random mark of this browser's sign-in is kept. A mark
# rather than the session key: the key changes when the password does, the data stays.
SESSION_MARK = "reminders_push_mark"
# Each subscription is a POST per reminder: past this many browsers, the oldest go.
MAX_BROWSERS = 20


def session_digest(request: HttpRequest, *, create: bool = True) -> str:
    """Return the SHA-256 digest that names this sign-in; "" if it has none and create is off."""
    mark = request.session.get(SESSION_MARK)
    if not mark:
        if not create:
            return ""
        mark = request.session[SESSION_MARK] = secrets.token_urlsafe(32)
    return hashlib.sha256(mark.encode()).hexdigest()


def problem(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def json_object(request: HttpRequest) -> dict | None:
    """Return the request's JSON body if it is an object, None otherwise."""
    # A form's body is read by then (the CSRF check reads request.POST), and is not JSON.
    if request.content_type != "application/json":
        return None
    try:
        data = json.loads(request.body)
    except ValueError:  # also UnicodeDecodeError
        return None
    return data if isinstance(data, dict) else None


@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """Keep this browser's subscription ({endpoint, keys: {p256dh, auth}}) for its owner."""
    if not push.is_configured():
        return problem("This server has no push keys set.", status=409)
    data = json_object(request)
    if data is None:
        return problem("Send a JSON object: {endpoint, keys: {p256dh, auth}}.")
    endpoint, keys = data.get("endpoint"), data.get("keys")
    if not isinstance(keys, dict):
        return problem("keys.p256dh and keys.auth are required.")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not isinstance(auth, str):
        return problem("keys.p256dh and keys.auth are required.")
    try:
        push.validate_endpoint(endpoint)
        if len(p256dh) > 200 or len(auth) > 100:
            raise push.InvalidKeys("The keys are too long.")
        push.validate_keys(p256dh, auth)
    except ValueError as error:
        return problem(str(error))
    # The same browser again, perhaps signed in as someone else now: it moves here.
    _, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": request.user,
            "p256dh": p256dh,
            "auth": auth,
            "session_digest": session_digest(request),
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
    )
    stale = PushSubscription.objects.filter(user=request.user).order_by("-created_at", "-pk")
    PushSubscription.objects.filter(
        pk__in=list(stale.values_list("pk", flat=True)[MAX_BROWSERS:])
    ).delete()
    return JsonResponse({"subscribed": True}, status=201 if created else 200)


@require_POST
def unsubscribe(request: HttpRequest) -> JsonResponse:
    """Forget this browser's subscription ({endpoint}), if it is one of the user's."""
    data = json_object(request)
    if data is None or not isinstance(data.get("endpoint"), str):
        return problem("Send a JSON object: {endpoint}.")
    deleted, _ = PushSubscription.objects.filter(
        user=request.user, endpoint=data["endpoint"]
    ).delete()
    if not deleted:
        return problem("No such subscription.", status=404)
    return JsonResponse({"subscribed": False})


@functools.cache
def cached_worker_source() -> bytes:
    return worker_source()


def worker_source() -> bytes:
    with open(finders.find("js/sw.js"), "rb") as source:
        return source.read()


@login_not_required
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve static/js/sw.js from the site's root, so that it controls every page."""
    # Read once, except while developing, where the file changes under us.
    source = worker_source() if settings.DEBUG else cached_worker_source()
    return HttpResponse(
        source,
        content_type="application/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )
