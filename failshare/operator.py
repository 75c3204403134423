"""The operator's page in the admin: is the site healthy? Counts and ages only, every age in
whole days, so nothing on it dates a story (or the task its arrival queued) finer than the day."""

from django.conf import settings
from django.contrib import admin
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Min
from django.shortcuts import render
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from confessions.models import Confession, Message, Report, StoryResponse
from confessions.resources.models import Resource, ResourceStatus
from failshare.periodic import last_runs


def age_in_days(oldest) -> int | None:
    """Whole days since ``oldest`` (a date or an aware datetime), or None without one."""
    if oldest is None:
        return None
    if hasattr(oldest, "date"):
        oldest = timezone.localdate(oldest)
    return (timezone.localdate() - oldest).days


def redis_reachable() -> bool | None:
    """None when the site runs without Redis."""
    if not settings.REDIS_URL:
        return None
    try:
        caches["default"].get("operator-probe")
    except Exception:  # noqa: BLE001 - any failure means Redis does not answer
        return False
    return True


def database_reachable() -> bool:
    # The page was reached through the session and user, read from the database.
    return connection.is_usable()


def _reported() -> dict:
    """Stories and responses readers reported that a moderator has not settled yet (a decision
    clears their reports), and the day of the oldest report among them."""
    reports = Report.objects.aggregate(
        stories=Count("confession", distinct=True),
        responses=Count("response", distinct=True),
        oldest=Min("reported_on"),
    )
    return {"count": reports["stories"] + reports["responses"], "oldest": reports["oldest"]}


def operator_page(request):
    """Behind admin.site.admin_view (failshare/urls.py): staff only, then superusers only."""
    if not request.user.is_superuser:
        raise PermissionDenied
    pending = Confession.objects.pending().aggregate(oldest=Min("submitted_on"))
    responses = StoryResponse.objects.pending().aggregate(
        count=Count("id"), oldest=Min("submitted_on")
    )
    reported = _reported()
    answers = Message.objects.filter(unread=True).aggregate(
        stories=Count("confession", distinct=True), oldest=Min("sent_on")
    )
    resources = Resource.objects.filter(status=ResourceStatus.PENDING).aggregate(
        count=Count("id"), oldest=Min("submitted_on")
    )
    tasks = DBTaskResult.objects.all()
    waiting = tasks.filter(status=TaskResultStatus.READY).aggregate(oldest=Min("enqueued_at"))
    context = {
        **admin.site.each_context(request),
        "title": "Operator's view",
        "stories_pending": Confession.objects.pending().count(),
        "oldest_pending_days": age_in_days(pending["oldest"]),
        "responses_pending": responses["count"],
        "oldest_response_days": age_in_days(responses["oldest"]),
        "reported_waiting": reported["count"],
        "oldest_report_days": age_in_days(reported["oldest"]),
        "answers_waiting": answers["stories"],
        "oldest_answer_days": age_in_days(answers["oldest"]),
        "resources_pending": resources["count"],
        "oldest_resource_days": age_in_days(resources["oldest"]),
        "tasks_waiting": tasks.filter(status=TaskResultStatus.READY).count(),
        "oldest_task_days": age_in_days(waiting["oldest"]),
        "tasks_running": tasks.filter(status=TaskResultStatus.RUNNING).count(),
        "tasks_failed": tasks.filter(status=TaskResultStatus.FAILED).count(),
        "database_up": database_reachable(),
        "redis_up": redis_reachable(),
        "command_runs": last_runs(),
    }
    return render(request, "admin/operator.html", context)
