"""Personal access tokens: made once, shown once, kept as a digest, checked on every request."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import AccessToken, TokenScope, User

PREFIX = "tl_"
# How often the last use is written: a client polling every second costs one write a minute.
LAST_USE_PRECISION = timedelta(minutes=1)


def digest_of(secret: str) -> str:
    """Return what is stored of a token's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def password_mark(user: User) -> str:
    """Return a mark of the user's current password, which changes with it."""
    return salted_hmac("ticklist.access-token", user.password, algorithm="sha256").hexdigest()


@transaction.atomic
def create(
    *,
    owner: User,
    name: str,
    scope: str = TokenScope.READ,
    expires_at: datetime | None = None,
    ends_with_password: bool = True,
) -> tuple[AccessToken, str]:
    """Make a token and return it with its secret, which is never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        owner=owner,
        name=name,
        scope=scope,
        expires_at=expires_at,
        prefix=secret[: len(PREFIX) + 6],
        digest=digest_of(secret),
        password_mark=password_mark(owner) if ends_with_password else "",
    )
    return token, secret


def authenticate(secret: str, *, now: datetime | None = None) -> AccessToken | None:
    """Return the live token with this secret, or None when it is unknown, expired or ended."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    now = now or timezone.now()
    token = (
        AccessToken.objects.select_related("owner")
        .filter(digest=digest_of(secret), owner__is_active=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.password_mark and not constant_time_compare(
        token.password_mark, password_mark(token.owner)
    ):
        return None
    if token.last_used_at is None or token.last_used_at <= now - LAST_USE_PRECISION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke(token: AccessToken) -> None:
    """End a token at once, on every server: there is nothing cached to outlive it."""
    token.delete()
