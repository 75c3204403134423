"""When each periodic command last ran, for the operator's page (failshare/operator.py).

A command records its runs in one of three ways, whichever fits:

- its ``handle`` decorated with ``@records_run`` (the row is named after the command)::

      from failshare.periodic import records_run

      class Command(BaseCommand):
          @records_run
          def handle(self, *args, **options): ...

- a block of code inside ``with recorded_run("name"):``;
- from cron, any command (Django's or a package's too) through
  ``python manage.py periodic COMMAND [ARGS...]``.

A run that raises is recorded as failed, and the error still propagates. Only the day is kept.
Commands listed in ``PERIODIC_COMMANDS`` show on the operator's page even before their first
run ("never"), so a cron line that was never set up shows.
"""

import functools
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DatabaseError
from django.utils import timezone

from failshare.models import CommandRun

logger = logging.getLogger(__name__)

# The periodic commands the README's cron table lists, as the operator's page names them.
PERIODIC_COMMANDS = {
    "notify_moderators": "Moderators' digest",
    "prune_staff_audit": "Pruning the staff audit log",
    "prune_db_task_results": "Pruning finished tasks",
    "clearsessions": "Clearing expired sessions",
    "vacuum_withdrawn": "Vacuum after withdrawals",
    "send_event_reminders": "Event reminders",
    "send_feedback_requests": "Feedback requests after events",
    "send_digests": "Digests of new stories",
    "build_open_data": "Open data downloads",
}


def record_run(command: str, *, succeeded: bool) -> CommandRun:
    today = timezone.localdate()
    defaults = {"last_ran_on": today, "last_succeeded": succeeded}
    if succeeded:
        defaults["last_success_on"] = today
    run, _ = CommandRun.objects.update_or_create(command=command, defaults=defaults)
    return run


@contextmanager
def recorded_run(command: str):
    try:
        yield
    except BaseException:
        try:
            record_run(command, succeeded=False)
        except DatabaseError:
            # The database may be why it failed: the original error matters more.
            logger.warning("Could not record the failed run of %s", command)
        raise
    record_run(command, succeeded=True)


def command_name(command) -> str:
    """A management command's name: its module's (``.../commands/notify_moderators.py``)."""
    return type(command).__module__.rsplit(".", 1)[-1]


def records_run(handle):
    """Decorates a management command's ``handle``: each run is recorded under its name."""

    @functools.wraps(handle)
    def recording_handle(self, *args, **options):
        with recorded_run(command_name(self)):
            return handle(self, *args, **options)

    return recording_handle


@dataclass
class LastRun:
    command: str
    label: str
    run: CommandRun | None  # None: never ran

    @property
    def days_ago(self) -> int | None:
        return (timezone.localdate() - self.run.last_ran_on).days if self.run else None


def last_runs() -> list[LastRun]:
    """Every listed or recorded command, listed ones first, with its last run."""
    runs = {run.command: run for run in CommandRun.objects.all()}
    names = list(PERIODIC_COMMANDS) + sorted(set(runs) - set(PERIODIC_COMMANDS))
    return [LastRun(name, PERIODIC_COMMANDS.get(name, name), runs.get(name)) for name in names]
