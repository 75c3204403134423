"""The Redis cache backend reuses one client instead of building one per call."""

import secrets

import pytest
import redis

from failshare.rediscache import ReusingRedisCache

REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on loopback")
    return ReusingRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{secrets.token_hex(4)}"})


def test_it_stores_and_reads_values_like_the_usual_backend(redis_cache):
    redis_cache.set("answer", {"n": 42}, 30)
    assert redis_cache.get("answer") == {"n": 42}
    assert redis_cache.get_many(["answer", "missing"]) == {"answer": {"n": 42}}
    redis_cache.delete("answer")
    assert redis_cache.get("answer") is None


def test_it_builds_one_client_for_every_call(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client
