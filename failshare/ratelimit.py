"""A small rate limiter kept in the cache, for people who have no account.

A client is known only by a keyed hash (HMAC with SECRET_KEY) of its address, kept in the cache
for one period at most: the address itself is never stored, in the cache or the database.
An IPv6 client is known by its /64, the block one household or phone is given, as allauth's
own limits do, so that it cannot step around a limit by changing the last bits of its address.

Windows are fixed (each ``period`` seconds from the epoch), not opened by the first hit: a
window opened by a story's post would keep that post's time in the cache to the microsecond.
"""

import ipaddress
import math
import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def client_address(request: HttpRequest) -> str:
    """The client's address, read the way allauth's own rate limits read it (proxy settings);
    for IPv6, its /64 network."""
    address = get_adapter(request).get_client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per client in ``period`` seconds, counted from the first hit."""

    name: str
    limit: int
    period: int

    def key_for(self, address: str) -> str:
        digest = salted_hmac(
            "failshare.ratelimit", f"{self.name}:{address}", algorithm="sha256"
        ).hexdigest()
        return f"ratelimit:{self.name}:{digest}"

    def _closes(self, now: float) -> int:
        return (math.floor(now / self.period) + 1) * self.period

    def _window(self, key: str) -> tuple[int, float]:
        """(hits so far, when the window closes)."""
        count, closes = cache.get(key, (0, 0.0))
        return (count, closes) if closes > time.time() else (0, 0.0)

    def count(self, request: HttpRequest) -> int:
        return self._window(self.key_for(client_address(request)))[0]

    def is_exceeded(self, request: HttpRequest) -> bool:
        return self.count(request) >= self.limit

    def hit(self, request: HttpRequest) -> None:
        # The window's end travels with the count: every cache backend keeps it, and later
        # hits never extend the window. It is the fixed window's end, so it dates nothing.
        key = self.key_for(client_address(request))
        count, closes = self._window(key)
        now = time.time()
        closes = closes or self._closes(now)
        cache.set(key, (count + 1, closes), timeout=max(1, math.ceil(closes - now)))
