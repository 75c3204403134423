"""Whole-page caching of public pages for people who are not signed in.

A page is cached with the versions of the content it shows ("stories", "events"), and served
only while they are still the current ones. The versions live in the database and PostgreSQL
raises them itself, in the same transaction as any change to that content (see
failshare/models.py): no write can forget to make a page stale, and every server process sees
the new version the moment the change commits. A page reads the versions once per request, in
one query, for its own key and for every cached value it is built from (``remember``).

Pages with forms still carry a fresh CSRF token for each visitor: the page is rendered with a
placeholder where the token goes, and each response gets the visitor's own token.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from functools import wraps
from hashlib import md5, sha256
from typing import TypeVar
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from failshare.models import ContentVersion

T = TypeVar("T")

# Keyed with SECRET_KEY, so nobody can type it: a cached page's placeholder is replaced by the
# visitor's token wherever it appears, text a visitor typed (the search box) included.
CSRF_PLACEHOLDER = "csrf-" + salted_hmac("failshare.pagecache", "csrf placeholder").hexdigest()
DEFAULT_TIMEOUT = 300
DATA_TIMEOUT = 3600
# Values this process has already read, under their versioned keys: the facet table is read on
# every list page, and unpickling it from the shared cache each time costs more than using it.
LOCAL_ENTRIES = 64
_local: OrderedDict = OrderedDict()

# The versions this request has read: a page asks for the same ones several times (its own
# key, then each cached value it is built from), and they must agree.
_read_in_this_request: ContextVar[dict[str, int] | None] = ContextVar(
    "pagecache_versions", default=None
)


def pages():
    return caches["pages"]


def versions(*namespaces: str) -> tuple[int, ...]:
    """The current version of each namespace; inside a cached view, read once per request."""
    read = _read_in_this_request.get()
    if read is None:
        read = {}
    missing = [namespace for namespace in namespaces if namespace not in read]
    if missing:
        found = ContentVersion.objects.filter(namespace__in=missing)
        read.update(found.values_list("namespace", "version"))
    return tuple(read.get(namespace, 0) for namespace in namespaces)


def remember(
    namespace: str, name: str, parts: tuple, compute: Callable[[], T], *, shared: bool = True
) -> T:
    """The value of ``compute()`` for these parts, kept until the namespace's content changes:
    in this process, and also in the pages cache unless ``shared`` is False.

    Callers must not change the value: it is shared by every later call in this process."""
    digest = sha256(repr(parts).encode()).hexdigest()[:32]
    (version,) = versions(namespace)
    key = f"data:{namespace}:{version}:{get_language()}:{name}:{digest}"
    if key in _local:
        _local.move_to_end(key)
        return _local[key]
    value = pages().get(key) if shared else None
    if value is None:
        value = compute()
        if shared:
            pages().set(key, value, DATA_TIMEOUT)
    # The key carries the version, so a change anywhere makes this copy unreachable.
    _local[key] = value
    while len(_local) > LOCAL_ENTRIES:
        _local.popitem(last=False)
    return value


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # A pending message ("You have signed out") belongs to this visitor alone.
    return len(get_messages(request)) == 0


def page_query(request: HttpRequest) -> str:
    """The query string as the page may show it (in the language switch's link): on a cached
    page, only the parameters in its key, so no visitor's other parameters are kept in it."""
    params = getattr(request, "page_params", None)
    if params is None:
        return request.META.get("QUERY_STRING", "")
    return urlencode([(name, value) for name in params for value in request.GET.getlist(name)])


def _page_key(request: HttpRequest, namespaces: tuple[str, ...]) -> str:
    # Only the parameters the page reads make a new copy: any other query string is the same
    # page, so a visitor cannot fill the cache with copies of it. The path names the language
    # (/cy/...), and the active language is in the key too, for pages outside the prefixes.
    url = md5(f"{request.path}?{page_query(request)}".encode(), usedforsecurity=False)
    return f"page:{'+'.join(namespaces)}:{get_language()}:{url.hexdigest()}"


def csrf_placeholder_context() -> dict:
    """Context for a cached page: its forms get the placeholder instead of a real token."""
    return {"csrf_token": CSRF_PLACEHOLDER}


def cache_public_page(
    *namespaces: str,
    timeout: int = DEFAULT_TIMEOUT,
    version_of_page: Callable[..., Hashable] | None = None,
    namespaces_of_page: Callable[..., tuple[str, ...]] | None = None,
    params: tuple[str, ...] = (),
) -> Callable:
    """Serve anonymous GETs of a view from the cache while ``namespaces`` are unchanged, and
    the namespaces of this page alone (``namespaces_of_page(request, *args, **kwargs)``, read
    in the same query as the others), and ``version_of_page(request, *args, **kwargs)``, if
    given, returns the same value (a query of its own: prefer a namespace kept by a trigger).
    The view must use csrf_placeholder_context (or render no form) for the copy to be shared
    safely, and name in ``params`` every query parameter it reads: the others are not in the
    key."""

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
            request.page_params = params
            own = namespaces_of_page(request, *args, **kwargs) if namespaces_of_page else ()
            current = versions(*namespaces, *own)
            if version_of_page is not None:
                current = (*current, version_of_page(request, *args, **kwargs))
            key = _page_key(request, namespaces)
            cached = pages().get(key)
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
                pages().set(key, page, timeout)
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
