"""Capacity alerts and organisers' messages are retried like registration emails: a failed send
is queued again later, a task run twice sends once, and a task that gives up ends FAILED."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from events import tasks
from events.models import CapacityAlert, OrganiserMessage, Registration, SentEmail
from tests.events.conftest import make_event, make_user
from tests.events.test_emails import flaky_mail  # noqa: F401 - fixture

# The worker closes connections between rounds, as it must in production: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def alert(transactional_db):
    event = make_event(capacity=2)
    event.organiser_staff.add(make_user())
    return CapacityAlert.objects.create(event=event, level=50)


@pytest.fixture
def message(transactional_db):
    event = make_event()
    registration = Registration.objects.create(event=event, user=make_user(), status="confirmed")
    sent = OrganiserMessage.objects.create(
        event=event, audience="confirmed", subject="Room change", body="Room 2 now."
    )
    return sent, registration


def test_a_failed_capacity_alert_is_queued_again_later_and_sent_once(
    settings,
    flaky_mail,  # noqa: F811
    alert,
):
    settings.TASKS = DATABASE_QUEUE
    flaky_mail.failures = 1
    first = tasks.send_capacity_alert.enqueue(alert.event_id, alert.level)
    call_command("run_worker", "--batch")
    assert DBTaskResult.objects.get(pk=first.id).return_value == "will retry"
    retry = DBTaskResult.objects.exclude(pk=first.id).get()
    assert retry.args_kwargs["args"] == [alert.event_id, alert.level, 2]
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    assert mail.outbox == []
    assert not CapacityAlert.objects.get(pk=alert.pk).sent

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    call_command("run_worker", "--batch")
    assert len(mail.outbox) == 1
    assert CapacityAlert.objects.get(pk=alert.pk).sent
    assert tasks.send_capacity_alert.call(alert.event_id, alert.level) == "already sent"
    assert len(mail.outbox) == 1


def test_a_capacity_alert_that_gives_up_ends_failed(settings, flaky_mail, alert):  # noqa: F811
    settings.TASKS = DATABASE_QUEUE
    flaky_mail.failures = 1
    queued = tasks.send_capacity_alert.enqueue(alert.event_id, alert.level, tasks.MAX_ATTEMPTS)
    call_command("run_worker", "--batch")
    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "events.tasks.EmailNotSent"
    assert DBTaskResult.objects.count() == 1, "nothing more is queued"
    assert mail.outbox == []
    assert not CapacityAlert.objects.get(pk=alert.pk).sent


def test_a_failed_organiser_message_is_queued_again_later_and_sent_once(
    settings,
    flaky_mail,  # noqa: F811
    message,
):
    settings.TASKS = DATABASE_QUEUE
    sent, registration = message
    flaky_mail.failures = 1
    first = tasks.send_organiser_message.enqueue(sent.pk, registration.pk)
    call_command("run_worker", "--batch")
    assert DBTaskResult.objects.get(pk=first.id).return_value == "will retry"
    retry = DBTaskResult.objects.exclude(pk=first.id).get()
    assert retry.args_kwargs["args"] == [sent.pk, registration.pk, 2]
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    assert mail.outbox == []
    assert not SentEmail.objects.filter(registration=registration).exists()

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    call_command("run_worker", "--batch")
    assert len(mail.outbox) == 1
    assert tasks.send_organiser_message.call(sent.pk, registration.pk) == "already sent"
    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(registration=registration, kind=sent.email_kind).count() == 1


def test_an_organiser_message_that_gives_up_ends_failed(settings, flaky_mail, message):  # noqa: F811
    settings.TASKS = DATABASE_QUEUE
    sent, registration = message
    flaky_mail.failures = 1
    queued = tasks.send_organiser_message.enqueue(sent.pk, registration.pk, tasks.MAX_ATTEMPTS)
    call_command("run_worker", "--batch")
    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "events.tasks.EmailNotSent"
    assert DBTaskResult.objects.count() == 1, "nothing more is queued"
    assert mail.outbox == []
    assert not SentEmail.objects.filter(registration=registration).exists()
