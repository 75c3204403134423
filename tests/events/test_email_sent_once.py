"""A registration email is sent once however often its task runs, and a task that gives up
ends FAILED, listed in the admin where organisers and moderators send it again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from events import tasks
from events.models import Registration, SentEmail
from tests.events.conftest import make_event, make_user
from tests.events.test_emails import flaky_mail  # noqa: F401 - fixture
from tests.people import restore_staff_groups

# The worker closes connections between rounds, as it must in production: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _staff_groups(transactional_db):
    restore_staff_groups()


@pytest.fixture
def registration(transactional_db):
    return Registration.objects.create(event=make_event(), user=make_user(), status="confirmed")


def test_it_sends_a_confirmation_once_when_its_task_runs_twice(mailoutbox, registration):
    assert tasks.send_registration_email.call(registration.pk, "confirmed") == "sent"
    assert tasks.send_registration_email.call(registration.pk, "confirmed") == "already sent"
    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(registration=registration, kind="confirmed").count() == 1


def test_a_task_that_gives_up_ends_failed(settings, flaky_mail, registration):  # noqa: F811
    settings.TASKS = DATABASE_QUEUE
    flaky_mail.failures = 1
    with pytest.raises(tasks.EmailNotSent):
        tasks.send_registration_email.call(registration.pk, "confirmed", tasks.MAX_ATTEMPTS)
    queued = tasks.send_registration_email.enqueue(registration.pk, "confirmed", tasks.MAX_ATTEMPTS)
    flaky_mail.failures = 1
    call_command("run_worker", "--batch")
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.FAILED
    assert mail.outbox == []


def test_a_failed_email_is_sent_again_from_the_admin(
    settings,
    flaky_mail,  # noqa: F811
    registration,
    organiser_client,
):
    settings.TASKS = DATABASE_QUEUE
    flaky_mail.failures = 1
    queued = tasks.send_registration_email.enqueue(registration.pk, "confirmed", tasks.MAX_ATTEMPTS)
    call_command("run_worker", "--batch")
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    listed = organiser_client.get(changelist, {"status__exact": "FAILED"})
    assert listed.status_code == 200
    assert str(queued.id) in listed.content.decode()

    answer = organiser_client.post(
        changelist, {"action": "send_again", "_selected_action": [str(queued.id)]}
    )
    assert answer.status_code == 302
    call_command("run_worker", "--batch")
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1


def test_a_task_left_running_by_a_dead_worker_is_run_again_and_sends_once(
    settings, mailoutbox, registration
):
    settings.TASKS = DATABASE_QUEUE
    orphan = tasks.send_registration_email.enqueue(registration.pk, "confirmed")
    recent = tasks.send_registration_email.enqueue(registration.pk, "confirmed")
    long_ago = timezone.now() - timedelta(minutes=10)
    DBTaskResult.objects.filter(pk=orphan.id).update(status="RUNNING", started_at=long_ago)
    DBTaskResult.objects.filter(pk=recent.id).update(status="RUNNING", started_at=timezone.now())

    call_command("run_worker", "--batch", "--stale-after", "300")

    assert DBTaskResult.objects.get(pk=orphan.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=recent.id).status == TaskResultStatus.RUNNING
    assert len(mail.outbox) == 1
