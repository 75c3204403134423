"""Metrics in the Prometheus text format, for monitoring, served at /metrics with a token.

What is never measured: anything under the confessions app's URLs (stories, their submission,
"this happened to us too", receipts, and the responses, messages and reports that live beside
them) and the tasks those requests queue. A count of those requests over time would date each
story to the scrape interval, so they are left out altogether, not just unlabelled: sending a
story changes no metric at all (tests/test_metrics.py)."""

import hmac
import re
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# URL namespaces, and task modules, whose activity would date a story. The open data API only
# reads published stories, but its views are named after them: left out too, so that no metric
# names a story at all.
UNMEASURED_NAMESPACES = frozenset({"confessions", "api"})
UNMEASURED_TASK_PREFIX = "confessions."
UNMEASURED_ADMIN_PREFIX = "confessions_"
UNMEASURED_WORDS = re.compile(r"confession|stor(y|ies)|response|message|report|receipt", re.I)
# The metrics view itself: each scrape would otherwise change what the next one reads.
UNMEASURED_VIEWS = frozenset({"metrics"})

registry = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "failshare_requests",
    "Requests answered, by view name, method and status class.",
    ["view", "method", "status"],
    registry=registry,
)
LATENCY = Histogram(
    "failshare_request_seconds",
    "Time to answer a request, by view name.",
    ["view"],
    registry=registry,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
DATABASE_ERRORS = Counter(
    "failshare_database_errors",
    "Requests that ended in a database error, by view name.",
    ["view"],
    registry=registry,
)
CACHE_ERRORS = Counter(
    "failshare_cache_errors",
    "Calls to Redis that failed or timed out, by cache alias (after one, a process leaves "
    "Redis alone for REDIS_BACKOFF_MS).",
    ["cache"],
    registry=registry,
)

# False while a request that must not be measured is being answered: what it does to the cache
# is not counted either.
_measuring: ContextVar[bool] = ContextVar("metrics_measuring", default=True)


def cache_error(alias: str) -> None:
    """Count a failed call to the cache, unless an unmeasured request made it."""
    if _measuring.get():
        CACHE_ERRORS.labels(alias).inc()


def measured_view(request) -> str | None:
    """The view's name as a label, or None when the request must not be measured."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if set(match.namespaces) & UNMEASURED_NAMESPACES or match.url_name in UNMEASURED_VIEWS:
        return None
    # The moderators' admin pages of stories (admin:confessions_...): when stories are read
    # and decided is as telling as when they arrive.
    if (match.url_name or "").startswith(UNMEASURED_ADMIN_PREFIX):
        return None
    # Nor any other view named after them (organisers' messages to attendees, say): so that no
    # metric name or label ever speaks of stories, messages, responses, reports or receipts.
    if UNMEASURED_WORDS.search(match.view_name or ""):
        return None
    return match.view_name or "unnamed"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        measuring = _measuring.set(True)
        try:
            response = self.get_response(request)
        finally:
            _measuring.reset(measuring)
        view = measured_view(request)
        if view is not None:
            REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
            LATENCY.labels(view).observe(time.perf_counter() - started)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The view is known from here on: an unmeasured one leaves every counter alone.
        if measured_view(request) is None:
            _measuring.set(False)

    def process_exception(self, request, exception):
        view = measured_view(request)
        if view is not None and isinstance(exception, DatabaseError):
            DATABASE_ERRORS.labels(view).inc()


class BacklogCollector:
    """Read at each scrape, from the database: the task queue and the emails that failed."""

    def describe(self):
        # Without this, registering the collector would run its queries once, at import.
        return []

    def collect(self):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        measured = DBTaskResult.objects.exclude(task_path__startswith=UNMEASURED_TASK_PREFIX)
        waiting = GaugeMetricFamily("failshare_tasks_waiting", "Tasks queued and not yet run.")
        failed = GaugeMetricFamily(
            "failshare_emails_failed", "Email tasks that failed and were not retried."
        )
        reachable = GaugeMetricFamily(
            "failshare_dependency_up", "1 when the dependency answers.", labels=["dependency"]
        )
        database_up = 1
        try:
            waiting.add_metric([], measured.filter(status=TaskResultStatus.READY).count())
            failed.add_metric(
                [],
                measured.filter(
                    status=TaskResultStatus.FAILED, task_path__contains="email"
                ).count(),
            )
        except DatabaseError:
            database_up = 0
            connection.close_if_unusable_or_obsolete()
        else:
            yield waiting
            yield failed
        reachable.add_metric(["database"], database_up)
        reachable.add_metric(["cache"], int(cache_answers()))
        yield reachable


def cache_answers() -> bool:
    try:
        caches["default"].get("metrics-probe")
    except Exception:  # noqa: BLE001 - any failure means the cache does not answer
        return False
    return True


registry.register(BacklogCollector())


@never_cache
def metrics(request):
    """Off (404) without METRICS_TOKEN; with it, only for ``Authorization: Bearer <token>``."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        return HttpResponse("A valid token is needed.\n", status=401, content_type="text/plain")
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
