"""Web Push: one message to one browser, and the checks on the address a browser gives us.

The dispatcher calls `send()` from the background worker, never in a request.
`SubscriptionGone` means the browser's subscription is dead (delete it);
`PushFailed` means this attempt failed and a later one may work.
"""

import base64
import binascii
import functools
import json
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from django_project import ssrf

# Seconds to wait for the push service to connect and to answer.
TIMEOUT = 10
MAX_ENDPOINT_LENGTH = 2000
# Push services take about 4 KB of encrypted payload; these keep a message well under it.
MAX_TITLE = 200
MAX_BODY = 500
# What a message offers, in the order a browser shows them (most show two).
ACTION_TITLES = {"complete": "Complete", "snooze": "Snooze"}


class PushError(Exception):
    """A message could not be pushed."""


class SubscriptionGone(PushError):
    """The push service says the subscription no longer exists: delete it."""


class PushFailed(PushError):
    """This attempt failed (timeout, refused connection, 5xx…); a later one may work."""

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        # Seconds the push service asked us to wait (Retry-After), when it said.
        self.retry_after = retry_after


class InvalidEndpoint(ValueError):
    """A push endpoint the server will not send to."""


class InvalidKeys(ValueError):
    """Subscription keys that are not a P-256 public key and a 16-byte secret."""


def is_configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def public_key() -> str:
    """Return the application server key a browser subscribes with (base64url)."""
    return settings.VAPID_PUBLIC_KEY


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_keys() -> tuple[str, str]:
    """Return a new VAPID key pair: (public key, private key), both base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(public), b64url(private)


def validate_endpoint(url: str) -> str:
    """Return url if the server may POST to it; raise InvalidEndpoint otherwise.

    The server sends to whatever address a browser hands it, so unless
    PUSH_ALLOW_PRIVATE_ENDPOINTS is on, only HTTPS to hosts whose every
    address is public: never loopback, private, link-local or reserved ones.
    """
    allow_private = settings.PUSH_ALLOW_PRIVATE_ENDPOINTS
    if not isinstance(url, str) or not url:
        raise InvalidEndpoint("The endpoint is missing.")
    if len(url) > MAX_ENDPOINT_LENGTH:
        raise InvalidEndpoint(f"The endpoint is longer than {MAX_ENDPOINT_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidEndpoint("The endpoint is not a valid URL.") from None
    schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in schemes:
        raise InvalidEndpoint("The endpoint must be an https:// address.")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise InvalidEndpoint("The endpoint must name a host, and nothing else before it.")
    if allow_private:
        return url
    try:
        ssrf.resolve(parts.hostname, port or 443, allow_private=False)
    except ssrf.RefusedAddress as error:
        raise InvalidEndpoint(f"The endpoint's host {str(error)[4:]}") from None
    return url


def validate_keys(p256dh: str, auth: str) -> None:
    """Raise InvalidKeys unless p256dh is a P-256 public key and auth a 16-byte secret."""
    try:
        point = b64url_decode(p256dh)
        secret = b64url_decode(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (TypeError, ValueError, binascii.Error):
        raise InvalidKeys("keys.p256dh is not a P-256 public key.") from None
    if len(secret) != 16:
        raise InvalidKeys("keys.auth is not a 16-byte secret.")


def payload_for(notification, actions: dict[str, str], *, base_url: str = "") -> dict:
    """Return what the service worker shows for notification.

    actions maps "complete" and "snooze" to the links their buttons open;
    base_url ("https://todo.example.com") makes the task's link absolute.
    Without it the link is a path, which the service worker reads against
    its own origin.
    """
    unknown = set(actions) - set(ACTION_TITLES)
    if unknown:
        raise ValueError(f"Unknown push actions: {', '.join(sorted(unknown))}")
    if notification.task_id:
        path = reverse("todos:task_detail", kwargs={"pk": notification.task_id})
        tag = f"task-{notification.task_id}"
    else:
        path, tag = "/", f"notification-{notification.pk}"
    return {
        "title": Truncator(notification.title).chars(MAX_TITLE),
        "body": Truncator(notification.body).chars(MAX_BODY),
        "url": base_url.rstrip("/") + path,
        # A later reminder of the same task replaces the earlier one on screen.
        "tag": tag,
        "timestamp": int(notification.due_at.timestamp() * 1000),
        "actions": [
            {"action": name, "title": title, "url": actions[name]}
            for name, title in ACTION_TITLES.items()
            if name in actions
        ],
    }


@functools.cache
def vapid_key(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


class NoRedirects(requests.Session):
    """A session that never follows a redirect, which could lead past validate_endpoint."""

    def post(self, url, **kwargs):
        return super().post(url, allow_redirects=False, **kwargs)


def send(subscription, payload: dict, *, ttl: int = 3600) -> None:
    """Push payload (as JSON) to the browser of subscription, encrypted to its keys.

    ttl is how long, in seconds, the push service keeps the message for a browser
    that is offline. Raise SubscriptionGone or PushFailed.
    """
    if not is_configured():
        raise PushFailed("Push is not configured: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY.")
    try:
        validate_endpoint(subscription.endpoint)
        vapid = vapid_key(settings.VAPID_PRIVATE_KEY)
    except InvalidEndpoint as error:
        raise PushFailed(str(error)) from None
    except (ValueError, binascii.Error):
        raise PushFailed("VAPID_PRIVATE_KEY is not a valid key.") from None
    try:
        with NoRedirects() as session:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=json.dumps(payload, separators=(",", ":")),
                vapid_private_key=vapid,
                # A new dict each time: webpush fills in "aud" and "exp" in place.
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=ttl,
                timeout=TIMEOUT,
                headers={"Urgency": "high"},
                requests_session=session,
            )
    except WebPushException as error:
        response = error.response
        status = getattr(response, "status_code", None)
        if status in {404, 410}:
            raise SubscriptionGone(f"The push service answered {status}.") from None
        if status is None:
            raise PushFailed(error.message[:200]) from None
        retry_after = response.headers.get("Retry-After", "")
        raise PushFailed(
            f"The push service answered {status} {response.reason or ''}".strip() + ".",
            retry_after=int(retry_after) if retry_after.isdigit() else None,
        ) from None
    except requests.RequestException as error:
        raise PushFailed(f"Could not reach the push service: {type(error).__name__}.") from None
    except (ValueError, TypeError, binascii.Error):
        raise PushFailed("The subscription's keys are not valid.") from None
