"""A Redis cache that an outage slows down instead of breaking.

Django's `RedisCache` raises on every call while Redis is unreachable, which turns
each page that touches the cache (the sidebar, the menu, cached sessions) into a
500. `ResilientRedisCache` answers those calls as misses instead, and after a
failure leaves the network alone for `RETRY_AFTER` seconds, so a dead Redis costs
a request nothing. It logs one warning when Redis becomes unreachable and one when
it is back.

Writes and deletes made during an outage are lost, so when Redis returns it can
hold values older than the database: a signed-out session's cached copy, say. So
the first call after an outage drops every key under this cache's prefix before
anything is read. Every process that saw the outage does this, not only the one
that lost a write, because that one may have been recycled in the meantime.
"""

import logging
import re
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 5.0
# Redis answers within a millisecond on a private network; a half-second silence
# means it is gone, and a worker must not wait on it longer than that.
CONNECTION_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
# A failed call backs off instead (below): retries would multiply the wait on a hung
# server. (The pool replaces a connection a Redis restart closed before using it.)
NO_RETRY = Retry(NoBackoff(), 0)


class _Health:
    """Whether one Redis is reachable, shared by every thread of the process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0


_health: dict[tuple, _Health] = {}
_health_lock = threading.Lock()


def _health_of(key: tuple) -> _Health:
    with _health_lock:
        return _health.setdefault(key, _Health())


def redacted(url: str) -> str:
    """Return a Redis URL without its credentials, fit for a log line."""
    parts = urlsplit(url)
    where = parts.hostname or ""
    if parts.port:
        where += f":{parts.port}"
    return f"{parts.scheme}://{where}{parts.path}"


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering misses while Redis is unreachable."""

    def __init__(self, server, params):
        options = {**CONNECTION_OPTIONS, "retry": NO_RETRY, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self.retry_after = float(params.get("RETRY_AFTER", RETRY_AFTER))
        self.where = ", ".join(redacted(url) for url in self._servers)
        # Threads each get their own cache object; they share what they learn.
        self._health = _health_of((tuple(self._servers), self.key_prefix))

    def is_available(self) -> bool:
        """Return whether Redis answers, asking it unless it failed moments ago."""
        return self._attempt(False, lambda: bool(self._cache.get_client().ping()))

    def _attempt(self, fallback, operation, *args):
        if self._health.down and not self._recover():
            return fallback
        try:
            return operation(*args)
        except UNREACHABLE as error:
            self._went_down(error)
            return fallback

    def _went_down(self, error: Exception) -> None:
        health = self._health
        with health.lock:
            health.retry_at = time.monotonic() + self.retry_after
            if health.down:
                return
            health.down = True
        logger.warning(
            "cache unreachable at %s (%s): serving without it, trying again every %g s",
            self.where,
            error,
            self.retry_after,
        )

    def _recover(self) -> bool:
        health = self._health
        with health.lock:
            if not health.down:
                return True
            if time.monotonic() < health.retry_at:
                return False
            # This thread tries; the others keep skipping Redis meanwhile.
            health.retry_at = time.monotonic() + self.retry_after
        try:
            dropped = self._drop_everything()
        except UNREACHABLE:
            return False
        with health.lock:
            health.down = False
        logger.warning(
            "cache reachable again at %s: dropped %d keys written before or during the outage",
            self.where,
            dropped,
        )
        return True

    def _drop_everything(self) -> int:
        """Delete every key under this cache's prefix, leaving other users of the database alone."""
        client = self._cache.get_client(write=True)
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix) + ":*"
        cursor, dropped = 0, 0
        while True:
            cursor, keys = client.scan(cursor, match=pattern, count=1000)
            if keys:
                dropped += client.unlink(*keys)
            if cursor == 0:
                return dropped

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._attempt(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._attempt(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._attempt({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._attempt(missing, super().incr, key, delta, version)
        if result is missing:
            # What Django's caches say of a key they do not hold.
            raise ValueError(f"Key '{key}' not found.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._attempt(None, super().delete_many, keys, version)

    def clear(self):
        return self._attempt(False, super().clear)
