"""The shared cache, which must not take the pages down with it while Redis restarts."""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisError, OSError)


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, except that an unreachable server reads as a miss and drops writes.

    Everything kept here can be worked out again (navigation links, rendered posts, rate-limit
    counters, who reads a topic), so while Redis is away pages are slower, not broken.
    """

    def _unreachable(self, operation, fallback):
        logger.warning("Cache unreachable (%s); going on without it", operation, exc_info=True)
        return fallback

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE:
            return self._unreachable("get", default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE:
            return self._unreachable("get_many", {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE:
            return self._unreachable("has_key", False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE:
            return self._unreachable("add", False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE:
            self._unreachable("set", None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE:
            return self._unreachable("set_many", list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE:
            return self._unreachable("touch", False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE:
            return self._unreachable("delete", False)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE:
            self._unreachable("delete_many", None)
