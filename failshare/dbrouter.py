"""A read replica for the public pages that may show data a moment old (DATABASE_REPLICA_URL).

Only when DATABASE_REPLICA_URL is set: settings.py then adds a "replica" database alias, this
router and ``ReplicaReadsMiddleware``. Everything goes to the primary ("default") unless the
middleware has marked the request as replica-safe, which it does only for

- a GET or HEAD request,
- by a visitor who is not signed in,
- to a view that opted in: decorated with ``@replica_safe`` or named (``namespace:name``) in
  ``settings.REPLICA_SAFE_VIEWS``.

Inside such a request, reads go to the replica until the first write: from then on the request
reads from the primary too, so it always sees its own write. Forms, receipts, registration, the
admin and anything signed in never touch the replica.

A replica that cannot be reached costs one failed attempt: the view runs again on the primary,
and this process leaves the replica alone for REPLICA_RETRY_SECONDS before trying it again.
"""

import contextlib
import contextvars
import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"

# Per request: "replica" (reads may go there), "wrote" (a write happened: primary from now on),
# or None (the primary for everything).
_mode: contextvars.ContextVar[str | None] = contextvars.ContextVar("replica_mode", default=None)
# Per process: the monotonic time before which the replica is not tried again.
_down_until = 0.0


def replica_safe(view):
    """Mark a public view whose anonymous GET/HEAD reads may go to the replica."""
    view.replica_safe = True
    return view


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_is_down() -> bool:
    return time.monotonic() < _down_until


def mark_replica_down() -> None:
    global _down_until
    _down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    if not replica_configured():
        return
    # A broken connection that cannot even be closed is dropped all the same.
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()


def reading_from_replica() -> bool:
    return _mode.get() == "replica"


class ReplicaRouter:
    """Reads to the replica while the request allows it; writes and everything else to the
    primary. Explicit answers, so an object read from the replica never drags later reads there."""

    def db_for_read(self, model, **hints):
        return REPLICA if reading_from_replica() else PRIMARY

    def db_for_write(self, model, **hints):
        if _mode.get() == "replica":
            _mode.set("wrote")
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica follows the primary's schema by itself


def _view_is_replica_safe(request, view_func) -> bool:
    if getattr(view_func, "replica_safe", False):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in settings.REPLICA_SAFE_VIEWS


class ReplicaReadsMiddleware:
    """Marks a replica-safe request so its reads go to the replica, and runs its view again on
    the primary when the replica fails. Last in MIDDLEWARE: its ``process_exception`` comes
    first, and a template response renders before ``__call__`` ends the mark."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _mode.set(None)
        try:
            return self.get_response(request)
        finally:
            _mode.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method in ("GET", "HEAD")
            and not replica_is_down()
            and _view_is_replica_safe(request, view_func)
            and not request.user.is_authenticated
        ):
            request.replica_view = (view_func, view_args, view_kwargs)
            _mode.set("replica")
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if _mode.get() != "replica":
            return None  # the failure came from the primary (after a write, or not replica-safe)
        logger.warning(
            "Read replica did not answer (%s); reading from the primary for %ss",
            type(exception).__name__,
            settings.REPLICA_RETRY_SECONDS,
        )
        mark_replica_down()
        _mode.set(None)
        view_func, view_args, view_kwargs = request.replica_view
        return view_func(request, *view_args, **view_kwargs)
