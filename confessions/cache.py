"""Invalidation of cached public story pages and of the data behind them.

Every write that changes what the public sees (approve, withdraw, edit, back to pending) calls
``published_changed()``, so cached pages, counts, facets and search results show it at once.
A "this happened to us too" press calls ``me_too_changed(slug)``: that story's page is fresh at
once, while the counts on list cards catch up when their cached page expires (at most
``pagecache.DEFAULT_TIMEOUT``), so a burst of presses never empties the whole cache.
"""

from collections import OrderedDict
from collections.abc import Callable
from hashlib import sha256
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction

from failshare import pagecache

T = TypeVar("T")

# Cached data is kept under the version of the public story pages: one version read per request
# serves the page's cache key and every value the page is built from.
DATA_NAMESPACE = "stories"
DATA_TIMEOUT = 3600
# Values this process has already read, under their versioned keys: the facet table is read on
# every list page, and unpickling it from the shared cache each time costs more than using it.
LOCAL_ENTRIES = 64
_local: OrderedDict = OrderedDict()


def published_changed() -> None:
    """Mark every cached public story page, count, facet and search result as stale.

    Called inside a transaction, it marks them again once the transaction commits: a reader
    may otherwise cache the old content under the new version before the change is visible."""
    _mark_stale()
    if connection.in_atomic_block:
        transaction.on_commit(_mark_stale)


def _mark_stale() -> None:
    pagecache.bump(DATA_NAMESPACE)


def story_namespace(slug: str) -> str:
    # A digest, not the slug: any string of slug characters reaches here from the address, and
    # cache keys must stay short whatever is asked for.
    return f"story:{sha256(slug.encode()).hexdigest()[:20]}"


def me_too_changed(slug: str) -> None:
    """Make this story's cached page stale after its "this happened to us too" count moved."""
    pagecache.bump(story_namespace(slug))


def remember(name: str, parts: tuple, compute: Callable[[], T], *, shared: bool = True) -> T:
    """The value of ``compute()`` for these parts, kept until the published stories change:
    in this process, and also in the shared cache unless ``shared`` is False.

    Callers must not change the value: it is shared by every later call in this process."""
    digest = sha256(repr(parts).encode()).hexdigest()[:32]
    (version,) = pagecache.versions(DATA_NAMESPACE)
    key = f"confessions:{version}:{name}:{digest}"
    if key in _local:
        _local.move_to_end(key)
        return _local[key]
    value = cache.get(key) if shared else None
    if value is None:
        value = compute()
        if shared:
            cache.set(key, value, DATA_TIMEOUT)
    # The key carries the data version, so a change anywhere makes this copy unreachable.
    _local[key] = value
    while len(_local) > LOCAL_ENTRIES:
        _local.popitem(last=False)
    return value
