"""The worker re-runs a task whose worker died, but not for ever; the moderators' digest is
retried like registration emails and sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from confessions import tasks
from confessions.models import ModeratorDigestSent
from tests.confessions.stories import make_confession
from tests.events.test_emails import flaky_mail  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
KEY = "6f1c1f3e-0000-4000-8000-000000000002"


@pytest.fixture
def digest_due(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    make_confession()


def orphan(result_id, *, claims: int) -> None:
    """As a worker killed while running it leaves a task: RUNNING, long ago."""
    DBTaskResult.objects.filter(pk=result_id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=10),
        worker_ids=[f"dead-{n}" for n in range(claims)],
    )


def test_a_task_orphaned_too_often_ends_failed_and_is_not_run(digest_due, mailoutbox):
    queued = tasks.notify_moderators.enqueue(KEY)
    orphan(queued.id, claims=5)
    call_command("run_worker", "--batch", "--stale-after", "300", "--max-claims", "5")
    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path.endswith("run_worker.TaskAbandoned")
    assert mail.outbox == []


def test_a_task_orphaned_fewer_times_is_run_again(digest_due, mailoutbox):
    queued = tasks.notify_moderators.enqueue(KEY)
    orphan(queued.id, claims=4)
    call_command("run_worker", "--batch", "--stale-after", "300", "--max-claims", "5")
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1


def test_a_failed_digest_is_queued_again_later(digest_due, flaky_mail):  # noqa: F811
    flaky_mail.failures = 1
    first = tasks.notify_moderators.enqueue(KEY)
    call_command("run_worker", "--batch")
    assert DBTaskResult.objects.get(pk=first.id).return_value == "will retry"
    retry = DBTaskResult.objects.exclude(pk=first.id).get()
    assert retry.args_kwargs["args"] == [KEY, 2]
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    assert mail.outbox == []
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    call_command("run_worker", "--batch")
    assert len(mail.outbox) == 1
    assert ModeratorDigestSent.objects.filter(key=KEY).exists()


def test_a_digest_that_gives_up_ends_failed(digest_due, flaky_mail):  # noqa: F811
    flaky_mail.failures = 1
    queued = tasks.notify_moderators.enqueue(KEY, tasks.MAX_ATTEMPTS)
    call_command("run_worker", "--batch")
    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "confessions.tasks.DigestNotSent"
    assert DBTaskResult.objects.count() == 1, "nothing more is queued"


def test_a_digest_run_twice_is_sent_once(digest_due, mailoutbox):
    assert tasks.notify_moderators.call(KEY) == "sent"
    assert tasks.notify_moderators.call(KEY) == "already sent"
    assert len(mail.outbox) == 1
