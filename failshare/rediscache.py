"""Django's Redis cache backend, made a help rather than a single point of failure.

Two things are added to Django's own backend:

- One Redis client per connection pool. Django builds a new ``redis.Redis`` for every cache
  call, and each one copies redis-py's table of about 170 response callbacks: several of those
  a request cost more than the round trips. The client is thread-safe and holds no connection
  of its own (the pool does), so one is enough.
- Short timeouts and a brief back-off. redis-py waits 5 s for a hung server by default, which
  would hold every worker; here connecting and reading are bounded (``REDIS_CONNECT_TIMEOUT_MS``,
  ``REDIS_TIMEOUT_MS``), nothing is retried, and once a call fails this process does not ask
  Redis again for ``REDIS_BACKOFF_MS``, so a dead Redis costs one timeout, not one per call.

What a failure means depends on the alias (``OPTIONS["ON_FAILURE"]``): ``"miss"`` (the pages
cache) makes a read a miss and a write nothing, so the page is built from the database;
``"raise"`` (the shared cache: rate limits) raises ``CacheUnavailable``, because a limit that
cannot be counted must refuse, never let everything through (failshare/middleware.py turns it
into a 503 "try again in a moment" page).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from failshare import metrics

logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    """The shared cache did not answer (or did not answer in time) and cannot be trusted now."""


# Per server address: until when (time.monotonic()) this process leaves it alone. Shared by
# both aliases, which point at the same Redis.
_resting_until: dict[str, float] = {}


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._on_failure = options.pop("ON_FAILURE", "miss")
        if self._on_failure not in ("miss", "raise"):
            raise ValueError(f"ON_FAILURE must be 'miss' or 'raise', not {self._on_failure!r}")
        self._backoff = options.pop("BACKOFF_SECONDS", 0.5)
        # The alias's name, for the metrics' cache error counter.
        self._alias = options.pop("ALIAS", params.get("KEY_PREFIX", ""))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.25)
        # A retry would double the wait on a hung server; the back-off does the asking again.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        self._address = ",".join(self._servers)

    def is_resting(self) -> bool:
        """Whether a recent failure makes this process leave Redis alone for a moment."""
        return time.monotonic() < _resting_until.get(self._address, 0.0)

    def _guarded(self, call, failed_value, *args, **kwargs):
        if self.is_resting():
            return self._failed(failed_value)
        try:
            return call(*args, **kwargs)
        except RedisError as error:
            metrics.cache_error(self._alias)
            if not self.is_resting():
                logger.warning(
                    "Redis did not answer (%s); resting %ss", type(error).__name__, self._backoff
                )
            _resting_until[self._address] = time.monotonic() + self._backoff
            return self._failed(failed_value)

    def _failed(self, failed_value):
        if self._on_failure == "raise":
            raise CacheUnavailable("the shared cache is not answering")
        return failed_value

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded(super().incr, None, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded(super().delete_many, None, keys, version)

    def clear(self):
        return self._guarded(super().clear, False)

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz); a resting process says no without asking."""
        if self.is_resting():
            return False
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError:
            metrics.cache_error(self._alias)
            _resting_until[self._address] = time.monotonic() + self._backoff
            return False
