"""Django's own RedisCache, made to degrade to no cache while Redis is down.

Everything the app keeps in the cache can be worked out again (the report's
figures, drawn charts, batch proposals, drawn page parts), and the sign-in lockout
is kept in the database: so a Redis that does not answer costs speed, never a page.
Each call that cannot reach Redis answers as a miss, the calls of the next few
seconds too without trying (a Redis that hangs costs one timeout, not one per
call), and one warning a minute says so in the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60.0
# After Redis fails to answer, every call answers as a miss at once for this long
# before trying again: a Redis that hangs costs one timeout, not one a call.
RESTING_SECONDS = 5.0


class ForgivingRedisCacheClient(RedisCacheClient):
    _last_warning = float("-inf")  # one warning a minute for the whole process

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._resting_until = float("-inf")  # this Redis's own

    def _or(self, fallback: Any, call: Callable[[], Any]) -> Any:
        if time.monotonic() < self._resting_until:
            return fallback
        try:
            return call()
        except RedisError as error:
            now = time.monotonic()
            self._resting_until = now + RESTING_SECONDS
            if now - ForgivingRedisCacheClient._last_warning >= WARN_EVERY_SECONDS:
                ForgivingRedisCacheClient._last_warning = now
                logger.warning(
                    "The cache (Redis) does not answer (%s): serving without it",
                    type(error).__name__,
                )
            return fallback

    def add(self, key, value, timeout):
        return self._or(False, lambda: RedisCacheClient.add(self, key, value, timeout))

    def get(self, key, default):
        return self._or(default, lambda: RedisCacheClient.get(self, key, default))

    def set(self, key, value, timeout):
        self._or(None, lambda: RedisCacheClient.set(self, key, value, timeout))

    def touch(self, key, timeout):
        return self._or(False, lambda: RedisCacheClient.touch(self, key, timeout))

    def delete(self, key):
        return self._or(False, lambda: RedisCacheClient.delete(self, key))

    def get_many(self, keys):
        return self._or({}, lambda: RedisCacheClient.get_many(self, keys))

    def has_key(self, key):
        return self._or(False, lambda: RedisCacheClient.has_key(self, key))

    def incr(self, key, delta):
        missing = object()
        value = self._or(missing, lambda: RedisCacheClient.incr(self, key, delta))
        if value is missing:
            raise ValueError(f"Key {key!r} not found (the cache does not answer).")
        return value

    def set_many(self, data, timeout):
        return self._or(
            list(data), lambda: RedisCacheClient.set_many(self, data, timeout)
        )

    def delete_many(self, keys):
        self._or(None, lambda: RedisCacheClient.delete_many(self, keys))

    def clear(self):
        return self._or(False, lambda: RedisCacheClient.clear(self))


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
