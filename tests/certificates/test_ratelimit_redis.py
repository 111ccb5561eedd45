"""The rate limit on the real Redis at 127.0.0.1:6379 (fails, does not skip, without Redis)."""

from __future__ import annotations

import uuid

from django.core.cache.backends.redis import RedisCache

from jiliang.certificates.ratelimit import hit


def test_rate_limit_counts_in_redis():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    cache.set("jiliang:ping", "pong", 5)  # raises when Redis cannot be reached
    assert cache.get("jiliang:ping") == "pong"
    key = f"test-{uuid.uuid4().hex}"
    seen = [hit(key, limit=3, window=60, cache=cache, now=1_000_000.0) for _ in range(5)]
    assert seen == [True, True, True, False, False]
    assert hit(key, limit=3, window=60, cache=cache, now=1_000_060.0)  # a new window
