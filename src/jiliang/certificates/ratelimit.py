"""A fixed-window rate limit in the Django cache (Redis when ``JILIANG_REDIS_URL`` is set, so the
limit holds across worker processes; the in-process cache otherwise)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest

DEFAULT_LIMIT = 60  # requests per client and window
DEFAULT_WINDOW = 60  # seconds


def hit(
    key: str, *, limit: int, window: int, cache: BaseCache | None = None, now: float | None = None
) -> bool:
    """Count one request for ``key``; True while the window's count is within ``limit``."""
    store = cache if cache is not None else caches["default"]
    bucket = f"jiliang:ratelimit:{key}:{int((now if now is not None else time.time()) // window)}"
    store.add(bucket, 0, window + 1)
    try:
        count = store.incr(bucket)
    except ValueError:  # expired between add and incr
        store.set(bucket, 1, window + 1)
        count = 1
    return count <= limit


def allow(request: HttpRequest, scope: str) -> bool:
    limit = int(getattr(settings, "JILIANG_VERIFY_RATE_LIMIT", DEFAULT_LIMIT))
    window = int(getattr(settings, "JILIANG_VERIFY_RATE_WINDOW", DEFAULT_WINDOW))
    client = request.META.get("REMOTE_ADDR", "unknown")
    return hit(f"{scope}:{client}", limit=limit, window=window)
