"""Django's Redis cache backend, made optional: a cache outage costs speed, never a page.

The cache holds only copies of what the database can produce again (reports/public/caching.py).
When the cache server cannot be reached, every operation answers as if the cache were
empty (a miss, nothing stored) and the page is rendered from the database. After a
failure the server is left alone for ``RETRY_SECONDS`` (a down host would otherwise cost
every operation a connection timeout), then tried again: when it is back, caching
resumes by itself. The outage is logged when it starts, at most once a minute while it
lasts, and when it ends.
"""

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from operations.logs import OutageLog

logger = logging.getLogger(__name__)

# Connection refused, reset or timed out, or the server still loading its data after a restart.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 1.0
# A cache that answers slower than this is worse than no cache.
CLIENT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "health_check_interval": 30}

# One state per server address, shared by every thread of the process.
_outages: dict[str, "_Outage"] = {}


class _Outage:
    def __init__(self, location: str):
        self.retry_at = 0.0
        self.log = OutageLog(logger, f"Cache server {location}")

    def skipping(self) -> bool:
        return self.log.down and time.monotonic() < self.retry_at

    def failed(self, error: BaseException) -> None:
        self.retry_at = time.monotonic() + RETRY_SECONDS
        self.log.failure(error)

    def succeeded(self) -> None:
        if self.log.down:
            self.log.recovery()


def _or_miss(miss):
    """Run the operation unless the server is known to be down; on a connection failure, ``miss()``."""

    def decorate(operation):
        @functools.wraps(operation)
        def wrapper(self, *args, **kwargs):
            if self.outage.skipping():
                return miss(*args, **kwargs)
            try:
                result = operation(self, *args, **kwargs)
            except UNREACHABLE as error:
                self.outage.failed(error)
                return miss(*args, **kwargs)
            self.outage.succeeded()
            return result

        return wrapper

    return decorate


def _get_default(key, default=None, version=None):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found")


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose operations fall back to "not cached" while the server is unreachable."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**CLIENT_OPTIONS, **(params.get("OPTIONS") or {})}}
        super().__init__(server, params)
        location = server if isinstance(server, str) else ",".join(server)
        self.outage = _outages.setdefault(location, _Outage(location))

    def reachable(self) -> bool:
        """Whether the server answers now (for /readyz); never raises."""
        try:
            super().has_key("readyz")
        except UNREACHABLE as error:
            self.outage.failed(error)
            return False
        self.outage.succeeded()
        return True

    @_or_miss(_false)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_or_miss(_get_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_or_miss(_nothing)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_or_miss(_false)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_or_miss(_false)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_or_miss(_empty)
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_or_miss(_false)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_or_miss(_missing_key)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_or_miss(_all_failed)
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_or_miss(_nothing)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_or_miss(_false)
    def clear(self):
        return super().clear()
