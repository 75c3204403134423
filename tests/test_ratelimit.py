import time

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
    limit = RateLimit("test", limit=1, period=1)
    limit.hit(request_from())
    assert limit.is_exceeded(request_from())
    time.sleep(1.1)
    assert not limit.is_exceeded(request_from())


def test_the_window_is_not_extended_by_later_hits(monkeypatch):
    clock = [time.time()]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    limit = RateLimit("test", limit=10, period=60)
    for _ in range(3):
        limit.hit(request_from())
        clock[0] += 25
    assert limit.count(request_from()) == 0  # 75 seconds after the first hit
