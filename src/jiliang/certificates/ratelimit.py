"""A fixed-window rate limit in the Django cache (Redis when ``JILIANG_REDIS_URL`` is set, so the
limit holds across worker processes; the in-process cache otherwise).

The client is ``REMOTE_ADDR``. Behind a reverse proxy every request comes from the proxy, so when
``REMOTE_ADDR`` is one of ``JILIANG_TRUSTED_PROXIES`` the client is read from ``X-Forwarded-For``:
walking the list from the right (the entry the nearest proxy appended) past further trusted
proxies, the first address that is not trusted is the client. A client cannot escape its limit by
sending its own ``X-Forwarded-For``: entries left of the first untrusted one are never read, and
the header is ignored entirely when the peer is not a trusted proxy.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest

from jiliang.errors import InvalidInput

DEFAULT_LIMIT = 60  # requests per client and window
DEFAULT_WINDOW = 60  # seconds

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Parse ``JILIANG_TRUSTED_PROXIES`` entries (addresses or CIDR networks)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise InvalidInput(
                "JILIANG_TRUSTED_PROXIES", f"{entry!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, nets: Iterable[Network]) -> bool:
    return address is not None and any(address in net for net in nets)


def client_address(remote_addr: str, forwarded_for: str, proxies: Iterable[str]) -> str:
    """The client's address: ``remote_addr`` unless it is a trusted proxy (see the module)."""
    nets = trusted_networks(tuple(proxies))
    peer = _address(remote_addr)
    if not _trusted(peer, nets) or not forwarded_for.strip():
        return str(peer) if peer is not None else (remote_addr or "unknown")
    last = peer
    for hop in reversed([_address(h) for h in forwarded_for.split(",")]):
        if hop is None:  # a garbled entry: nothing left of it can be believed
            break
        if not _trusted(hop, nets):
            return str(hop)
        last = hop
    return str(last)  # only proxies on the path: the furthest one we can believe


def allow(request: HttpRequest, scope: str) -> bool:
    limit = int(getattr(settings, "JILIANG_VERIFY_RATE_LIMIT", DEFAULT_LIMIT))
    window = int(getattr(settings, "JILIANG_VERIFY_RATE_WINDOW", DEFAULT_WINDOW))
    client = client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        getattr(settings, "JILIANG_TRUSTED_PROXIES", ()),
    )
    return hit(f"{scope}:{client}", limit=limit, window=window)
