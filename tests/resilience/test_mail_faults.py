"""The task worker against a real mail server that misbehaves, and a database that restarts.

The real ``run_worker`` process sends registration emails and the moderators' digest to a
local SMTP server started by this test, which counts what it accepts. The worker is killed
with SIGKILL before, during and after a send; PostgreSQL restarts under it; the mail server
refuses, then another one hangs; then all recovers. Every expected email arrives exactly once,
counted at the mail server, and no task is left running, queued or failed.
"""

import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.resilience.fixtures import run_in_app
from tests.resilience.servers import (
    ROOT,
    ThrowawayPostgres,
    manage,
    postgres_bindir,
    production_env,
)
from tests.resilience.smtp_server import CountingSMTP, SilentSMTP

pytestmark = [
    pytest.mark.skipif(postgres_bindir() is None, reason="PostgreSQL server binaries not found"),
    # Nothing here uses the test database; asking for it makes pytest-django set it up even
    # when this module runs alone, for the suite's autouse cache-clearing fixture.
    pytest.mark.django_db,
]

EMAIL_TIMEOUT = 2  # seconds: a mail server that hangs holds a task no longer than this
STALE_AFTER = 6  # seconds after which a task left RUNNING by a killed worker runs again
MODERATORS = "mods@example.org"
EVENT = "Mail workshop"
CONFIRMED = f"[failshare] Your place at {EVENT}"
WAITING = f"[failshare] You are on the waiting list for {EVENT}"
PROMOTED = f"[failshare] A place has come up for you at {EVENT}"
DIGEST = "[failshare] Stories are waiting for a moderator"
SEED = """
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.utils import timezone
from events.models import Event

starts = timezone.now() + timedelta(days=30)
Event.objects.create(
    title="Mail workshop", slug="mail-workshop", summary="A workshop.", venue="Leeds",
    starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=2, status="published",
)
for number in range(1, 5):
    user = User.objects.create_user(f"mail{number}", f"mail{number}@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
"""
REGISTER = """
from django.contrib.auth.models import User
from events import services
from events.models import Event
services.registration_create(
    event=Event.objects.get(slug="mail-workshop"), user=User.objects.get(email={email!r})
)
"""
CANCEL = """
from events import services
from events.models import Registration
services.registration_cancel(
    registration=Registration.objects.get(user__email={email!r}, status="confirmed")
)
"""
STORY = """
from tests.confessions.stories import make_confession
make_confession()
"""


class WorkerProcess:
    """``manage.py run_worker`` as production runs it, logging to a file."""

    def __init__(self, env: dict, name: str):
        self.env = env
        self.name = name
        self.log_path = Path(tempfile.mkdtemp(prefix="failshare-worker-")) / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        log = self.log_path.open("ab")  # noqa: SIM115 - handed to the child process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--interval",
                "0.2",
                "--stale-after",
                str(STALE_AFTER),
                "--retry-after",
                "0.5",
                "--worker-id",
                self.name,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # Polling once it says so (Django and the app take a moment to load).
        wait_for(f"{self.name} polling", lambda: "polling every" in self.logs(), 60, self)
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_for(what: str, check, seconds: float, worker: WorkerProcess | None = None) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    logs = worker.logs()[-3000:] if worker else ""
    raise AssertionError(f"not within {seconds}s: {what}\n{logs}")


@pytest.fixture(scope="module")
def postgres():
    cluster = ThrowawayPostgres()
    cluster.create()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="module")
def smtp():
    server = CountingSMTP()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def silent_smtp():
    server = SilentSMTP()
    server.start()
    yield server
    server.stop()


def worker_env(postgres, port: int) -> dict:
    return production_env(
        postgres.url,
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT=str(EMAIL_TIMEOUT),
        MODERATOR_EMAILS=MODERATORS,
    )


def test_every_email_arrives_exactly_once_through_kills_restarts_and_mail_faults(
    postgres, smtp, silent_smtp
):
    env = worker_env(postgres, smtp.port)
    manage(env, "migrate", "--noinput")
    run_in_app(env, SEED)
    mail = smtp.handler
    workers: list[WorkerProcess] = []

    def worker(port: int = smtp.port) -> WorkerProcess:
        started = WorkerProcess(worker_env(postgres, port), f"mail-worker-{len(workers)}").start()
        workers.append(started)
        return started

    def register(number: int) -> None:
        run_in_app(env, REGISTER.format(email=f"mail{number}@example.org"))

    def tasks(status: str) -> int:
        sql = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = %s"
        return postgres.query(sql, (status,))[0][0]

    def recorded(number: int, kind: str) -> bool:
        sql = (
            "SELECT count(*) FROM events_sentemail s JOIN events_registration r"
            " ON r.id = s.registration_id JOIN auth_user u ON u.id = r.user_id"
            " WHERE u.email = %s AND s.kind = %s"
        )
        return postgres.query(sql, (f"mail{number}@example.org", kind))[0][0] == 1

    def time_passes() -> None:
        """The retries' delays (minutes) go by at once."""
        postgres.query(
            "UPDATE django_tasks_database_dbtaskresult SET run_after = now()"
            " WHERE status = 'READY' AND run_after < '9999-01-01' RETURNING id"
        )

    try:
        # 1. Killed before a send: the worker dies idle; the email waits in the queue, and
        #    the next worker sends it.
        first = worker()
        time.sleep(1)
        first.kill()
        register(1)  # a place: a confirmation
        time.sleep(1)
        assert mail.total() == 0
        current = worker()
        wait_for("mail1's confirmation", lambda: mail.count("mail1@example.org", CONFIRMED), 30)

        # 2. Killed during a send: the mail server has the message but has not answered. The
        #    task stays RUNNING until --stale-after, then another worker sends it.
        mail.mode = "hold"
        register(2)  # the last place: a confirmation
        wait_for("the held message", mail.held.is_set, 30, current)
        current.kill()
        killed_at = time.monotonic()
        mail.mode = "accept"
        mail.release()
        assert tasks("RUNNING") == 1, "the killed worker's task is left running"
        current = worker()
        wait_for(
            "mail2's confirmation", lambda: mail.count("mail2@example.org", CONFIRMED), 60, current
        )
        took = time.monotonic() - killed_at
        assert took >= STALE_AFTER - 1, "the orphan waited for --stale-after"
        print(f"email orphaned by a kill mid-send arrived {took:.1f}s after the kill")

        # 3. Killed after a send: the email left and was recorded; running its task again
        #    (if the kill left it RUNNING) sends nothing.
        register(3)  # no place left: the waiting list
        wait_for("mail3's waiting email recorded", lambda: recorded(3, "waiting"), 30, current)
        current.kill()
        current = worker()
        wait_for("no task running or queued", lambda: tasks("RUNNING") + tasks("READY") == 0, 60)

        # 4. PostgreSQL restarts under the worker: it waits, reconnects and goes on.
        postgres.stop("fast")
        time.sleep(3)
        postgres.start()
        run_in_app(env, CANCEL.format(email="mail1@example.org"))  # mail3 is promoted
        took = wait_for("mail3's promotion", lambda: mail.count("mail3@example.org", PROMOTED), 30)
        print(f"promotion after the PostgreSQL restart arrived in {took:.1f}s")
        assert current.alive, "the worker survived the restart"
        assert "The database is unavailable" in current.logs()

        # 5. The mail server refuses: both emails are queued again, for later.
        mail.mode = "refuse"
        register(4)  # the waiting list
        run_in_app(env, STORY)
        manage(env, "notify_moderators")  # the moderators' digest
        retries = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE return_value = %s"
        wait_for(
            "two refused sends queued again",
            lambda: postgres.query(retries, ('"will retry"',))[0][0] == 2,
            30,
            current,
        )
        current.stop()

        # 6. Pointed at a mail server that hangs: each attempt ends within the SMTP timeout,
        #    and is queued again.
        current = worker(silent_smtp.port)
        time_passes()
        wait_for(
            "two hung sends queued again",
            lambda: postgres.query(retries, ('"will retry"',))[0][0] == 4,
            30,
            current,
        )
        longest = postgres.query(
            "SELECT max(extract(epoch FROM finished_at - started_at))"
            " FROM django_tasks_database_dbtaskresult"
        )[0][0]
        assert float(longest) < EMAIL_TIMEOUT + 1.5, longest
        print(f"longest task against the hung mail server: {float(longest):.2f}s")
        assert silent_smtp.connections, "the worker did try the hung server"
        current.stop()

        # 7. Things recover: the good mail server, the delays gone by.
        mail.mode = "accept"
        current = worker()
        time_passes()
        wait_for("mail4's waiting email", lambda: mail.count("mail4@example.org", WAITING), 30)
        wait_for("the moderators' digest", lambda: mail.count(MODERATORS, DIGEST), 30)
        wait_for("no task running or queued", lambda: tasks("RUNNING") + tasks("READY") == 0, 60)
        time.sleep(1)
    finally:
        for started in workers:
            started.stop()

    expected = {
        ("mail1@example.org", CONFIRMED),
        ("mail2@example.org", CONFIRMED),
        ("mail3@example.org", WAITING),
        ("mail3@example.org", PROMOTED),
        ("mail4@example.org", WAITING),
        (MODERATORS, DIGEST),
    }
    assert dict(mail.delivered) == dict.fromkeys(expected, 1)
    assert tasks("FAILED") == 0
