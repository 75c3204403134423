"""Django's Redis cache backend, keeping one Redis client per connection pool.

Django builds a new ``redis.Redis`` for every cache call, and each one copies redis-py's table
of about 170 response callbacks: several of those a request cost more than the round trips. The
client is thread-safe and holds no connection of its own (the pool does), so one is enough.

``incr`` takes one round trip instead of two (Django asks whether the key exists first); it runs
on every registration and every story change, to make cached pages stale.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

# Django's contract: a missing key is an error, never created by the increment.
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._incr_scripts = {}

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        script = self._incr_scripts.get(id(client))
        if script is None:
            script = self._incr_scripts[id(client)] = client.register_script(_INCR_EXISTING)
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
