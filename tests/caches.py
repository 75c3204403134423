"""What the caches hold, as text, for tests that look for what must never be kept there."""

import base64
import pickle

from django.core.cache import caches
from django.db import connection


def shared_cache_text() -> str:
    """Every key and value of the shared ("default") cache: without Redis, the database cache."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM failshare_cache")
        rows = cursor.fetchall()
    return repr([(key, pickle.loads(base64.b64decode(value))) for key, value in rows])  # noqa: S301


def pages_cache_text() -> str:
    cache = caches["pages"]
    return repr(cache._cache) + repr(list(cache._expire_info))


def forget_pages() -> None:
    """Empty the pages cache and what this process remembered from it, as a new server would
    start."""
    from failshare import pagecache

    caches["pages"].clear()
    pagecache._local.clear()


def shared_cache_expiries() -> dict[str, float]:
    """Seconds left for each key of the shared ("default") cache."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cache_key, extract(epoch FROM expires - clock_timestamp()) FROM failshare_cache"
        )
        return {key: float(seconds) for key, seconds in cursor.fetchall()}
