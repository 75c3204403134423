import time
from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from failshare import ratelimit
from failshare.ratelimit import RateLimit
from tests.caches import shared_cache_text

ADDRESS = "203.0.113.9"


pytestmark = pytest.mark.django_db


def request_from(address: str = ADDRESS):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_it_counts_hits_per_client_up_to_the_limit():
    limit = RateLimit("test", limit=2, period=60)
    assert not limit.is_exceeded(request_from())
    limit.hit(request_from())
    assert not limit.is_exceeded(request_from())
    limit.hit(request_from())
    assert limit.is_exceeded(request_from())
    assert not limit.is_exceeded(request_from("198.51.100.1"))


def test_limits_with_different_names_are_counted_apart():
    RateLimit("one", limit=1, period=60).hit(request_from())
    assert not RateLimit("two", limit=1, period=60).is_exceeded(request_from())


def test_the_cache_key_is_a_keyed_hash_not_the_address(settings):
    limit = RateLimit("test", limit=1, period=60)
    key = limit.key_for(ADDRESS)
    assert ADDRESS not in key
    assert ADDRESS.replace(".", "") not in key
    settings.SECRET_KEY = "another-secret-key-for-this-test-only"
    assert limit.key_for(ADDRESS) != key


def test_the_address_is_nowhere_in_the_cache():
    limit = RateLimit("test", limit=1, period=60)
    limit.hit(request_from())
    stored = shared_cache_text()
    assert ADDRESS not in stored
    assert limit.count(request_from()) == 1


def test_counts_are_short_lived():
    limit = RateLimit("test", limit=1, period=2)
    # From the start of a window, so that the first check falls in the same window as the hit.
    time.sleep(2 - time.time() % 2)
    limit.hit(request_from())
    assert limit.is_exceeded(request_from())
    time.sleep(2.1)
    assert not limit.is_exceeded(request_from())


def test_the_window_is_fixed_and_not_extended_by_later_hits(monkeypatch):
    now = [7200.0 + 10]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now[0]))
    limit = RateLimit("test", limit=10, period=3600)
    for _ in range(3):
        limit.hit(request_from())
        now[0] += 1000
    assert limit.count(request_from()) == 3
    now[0] = 10800.0  # the window closes on the hour, whenever its first hit came
    assert limit.count(request_from()) == 0


def test_nothing_in_the_cache_holds_the_time_of_a_hit(monkeypatch):
    first_hit = 1_800_000_123.456789
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: first_hit))
    RateLimit("test", limit=5, period=3600).hit(request_from())
    stored = shared_cache_text()
    for exact in ("1800000123", "1800003723", "123.45", "723.45"):
        assert exact not in stored


def test_an_ipv6_client_is_counted_by_its_64_network():
    limit = RateLimit("test", limit=2, period=60)
    limit.hit(request_from("2001:db8:1:2::1"))
    limit.hit(request_from("2001:db8:1:2:ffff:eeee:dddd:cccc"))
    assert limit.is_exceeded(request_from("2001:db8:1:2:abcd::9"))
    assert not limit.is_exceeded(request_from("2001:db8:1:3::1"))


def test_an_ipv4_mapped_address_counts_as_the_ipv4_client():
    limit = RateLimit("test", limit=1, period=60)
    limit.hit(request_from("::ffff:203.0.113.9"))
    assert limit.is_exceeded(request_from(ADDRESS))
