"""Run django-tasks-db's worker so that it survives the database going away and coming back,
and so that a task left RUNNING by a worker that died is run again.

The library's ``db_worker`` does the work (claiming, running, recording); it exits on the first
database error and has no notion of a task whose worker was killed. This command adds only
those two things around its ``Worker`` (django-tasks-db 0.13 has neither; its own
``set_failed`` records a task that was orphaned too often).
"""

import logging
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import DatabaseError, InterfaceError, close_old_connections, connections
from django.db.models import F, Func, IntegerField
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class TaskAbandoned(Exception):
    """A task's worker died under it too many times: it is not run again by itself."""


def requeue_stale(*, older_than: timedelta, max_claims: int = 5) -> int:
    """Put back in the queue the tasks RUNNING for longer than any task takes (their worker
    died); every email task checks before sending, so running one again sends nothing twice.

    A task already claimed ``max_claims`` times (the library records each claim's worker id)
    is not queued again but ends FAILED, as a task that gives up does, so a task that kills
    its worker cannot do so for ever; the admin lists it, and can send it again."""
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - older_than
    ).annotate(
        claims=Func(F("worker_ids"), function="jsonb_array_length", output_field=IntegerField())
    )
    for result in stale.filter(claims__gte=max_claims):
        result.set_failed(TaskAbandoned(f"its worker died {result.claims} times while running it"))
        logger.error("Task %s failed: its worker died %s times", result.id, result.claims)
    return stale.filter(claims__lt=max_claims).update(
        status=TaskResultStatus.READY, started_at=None
    )


class Command(BaseCommand):
    help = "Run the task worker, reconnecting after database outages and re-queueing stale tasks."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--stale-after",
            type=float,
            default=300.0,
            help="seconds after which a RUNNING task is taken to be orphaned (default 300)",
        )
        parser.add_argument(
            "--max-claims",
            type=int,
            default=5,
            help="times a task may be left running by a dead worker before it ends FAILED",
        )
        parser.add_argument(
            "--retry-after", type=float, default=2.0, help="seconds to wait after a database error"
        )
        parser.add_argument("--worker-id", default="failshare-worker")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(
        self, *, interval, stale_after, max_claims, retry_after, worker_id, batch, **options
    ):
        # The library's worker in batch mode runs everything queued, then returns: between
        # rounds this command looks for orphaned tasks and waits.
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        # The library logs two lines for each batch round ("Starting worker", "No more tasks"):
        # every second, for ever. Its warnings and errors are kept; -v 2 shows all.
        if options["verbosity"] < 2:
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        logger.info("Worker %s polling every %ss", worker_id, interval)
        while worker.running:
            try:
                requeued = requeue_stale(
                    older_than=timedelta(seconds=stale_after), max_claims=max_claims
                )
                if requeued:
                    logger.warning("Re-queued %s task(s) left running by a dead worker", requeued)
                worker.run()
            except (DatabaseError, InterfaceError) as error:
                if batch:
                    raise
                logger.warning("The database is unavailable (%s); retrying", type(error).__name__)
                for connection in connections.all():
                    connection.close()
                time.sleep(retry_after)
                continue
            if batch:
                return
            close_old_connections()
            time.sleep(interval)
