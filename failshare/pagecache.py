"""Whole-page caching of public pages for people who are not signed in.

A page is cached with the versions of the content it shows ("stories", "events"), and served
only while they are still the current ones: a write that changes that content calls
``bump("stories")`` and every page built from it is stale at once, on every server process (the
versions live in the shared cache). A page and the current versions are read in one round trip,
and within one request each version is read once (``versions``), so a page and the cached data
it is built from agree.

Pages with forms still carry a fresh CSRF token for each visitor: the page is rendered with a
placeholder where the token goes, and each response gets the visitor's own token.
"""

import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from hashlib import md5

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control

CSRF_PLACEHOLDER = "__failshare_csrf_token__"
DEFAULT_TIMEOUT = 300


# A version lives a week at most, so that the version of every story address ever asked for
# (existing or not) does not stay in the cache for good. A version that has expired starts again
# past every earlier value (see _fresh_version): its pages are simply built again.
VERSION_SECONDS = 7 * 24 * 3600


def _version_key(namespace: str) -> str:
    return f"pagecache:version:{namespace}"


def _fresh_version() -> int:
    # A lost version key (evicted, cache restarted) must never bring back pages cached under an
    # older value, so a missing version starts from the clock, past any value used before.
    return time.time_ns()


# The versions this request has read: each costs a round trip to the shared cache, and a page
# asks for the same ones several times (its own key, then each cached value it is built from).
_read_in_this_request: ContextVar[dict[str, int] | None] = ContextVar(
    "pagecache_versions", default=None
)


def bump(*namespaces: str) -> None:
    """Make every cached page that shows content from these namespaces stale."""
    read = _read_in_this_request.get()
    for namespace in namespaces:
        key = _version_key(namespace)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, _fresh_version(), timeout=VERSION_SECONDS)
        if read is not None:
            read.pop(namespace, None)


def versions(*namespaces: str) -> list[int]:
    """The current version of each namespace; inside a cached view, read once per request."""
    return _versions_and(namespaces, None)[0]


def _versions_and(namespaces: tuple[str, ...], key: str | None) -> tuple[list[int], object]:
    """The current versions of ``namespaces``, and the value cached under ``key`` (None if
    none), in one round trip to the shared cache."""
    read = _read_in_this_request.get()
    if read is None:
        read = {}
    missing = {_version_key(n): n for n in namespaces if n not in read}
    keys = [*missing, key] if key else list(missing)
    found = cache.get_many(keys) if keys else {}
    for version_key, namespace in missing.items():
        if version_key not in found:
            cache.add(version_key, _fresh_version(), timeout=VERSION_SECONDS)
            found[version_key] = cache.get(version_key)
        read[namespace] = found[version_key]
    return [read[n] for n in namespaces], found.get(key) if key else None


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # A pending message ("You have signed out") belongs to this visitor alone.
    return len(get_messages(request)) == 0


def _page_key(request: HttpRequest, namespaces: tuple[str, ...]) -> str:
    url = md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"pagecache:page:{'+'.join(namespaces)}:{url}"


def csrf_placeholder_context() -> dict:
    """Context for a cached page: its forms get the placeholder instead of a real token."""
    return {"csrf_token": CSRF_PLACEHOLDER}


def cache_public_page(*namespaces: str, timeout: int = DEFAULT_TIMEOUT) -> Callable:
    """Serve anonymous GETs of a view from the cache; the view must use csrf_placeholder_context
    (or render no form) for the cached copy to be shared safely."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if _read_in_this_request.get() is not None:  # a cached view inside another
                return serve(request, *args, **kwargs)
            reading = _read_in_this_request.set({})
            try:
                return serve(request, *args, **kwargs)
            finally:
                _read_in_this_request.reset(reading)

        def serve(request, *args, **kwargs):
            if not _cacheable(request):
                return _with_visitor_token(request, view(request, *args, **kwargs))
            key = _page_key(request, namespaces)
            current, cached = _versions_and(namespaces, key)
            if cached is not None and cached[0] == current:
                _, status, content_type, body = cached
                response = HttpResponse(body, status=status, content_type=content_type)
                return _with_visitor_token(request, response)
            response = view(request, *args, **kwargs)
            if (
                response.status_code in (200, 404)
                and not response.streaming
                and not response.cookies
            ):
                body = response.content.decode(response.charset)
                page = (current, response.status_code, response["Content-Type"], body)
                cache.set(key, page, timeout)
            return _with_visitor_token(request, response)

        return wrapper

    return decorator


def _with_visitor_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.streaming or CSRF_PLACEHOLDER.encode() not in response.content:
        return response
    response.content = response.content.replace(
        CSRF_PLACEHOLDER.encode(), get_token(request).encode()
    )
    patch_cache_control(response, private=True)
    return response
