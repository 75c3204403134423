"""Email goes out in the background, once committed, and a failing mail server changes nothing."""

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events import services, tasks
from events.models import Registration
from tests.events.conftest import fill, make_event, make_user

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """A mail server that drops the first ``failures`` connections."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.failures = 0


def test_nothing_is_sent_if_the_registration_is_rolled_back(mailoutbox):
    event = make_event()

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        services.registration_create(event=event, user=make_user())
        raise Abandon
    assert mailoutbox == []
    assert not Registration.objects.exists()


def test_the_database_queue_takes_the_email_in_the_registrations_own_transaction(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = make_event(capacity=1)

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        services.registration_create(event=event, user=make_user())
        assert DBTaskResult.objects.count() == 1  # queued before commit, with the registration
        raise Abandon
    assert not DBTaskResult.objects.exists()  # and rolled back with it

    first = services.registration_create(event=event, user=make_user())
    second = services.registration_create(event=event, user=make_user())
    queued = [row.args_kwargs["args"] for row in DBTaskResult.objects.order_by("enqueued_at")]
    assert queued == [[first.pk, "confirmed"], [second.pk, "waiting"]]


def test_a_failed_send_is_retried_and_the_registration_stands(
    flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 2
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, user=make_user())
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    assert len(mail.outbox) == 1
    assert flaky_mail.failures == 0


def test_it_gives_up_after_a_bounded_number_of_attempts(
    flaky_mail, django_capture_on_commit_callbacks, caplog
):
    flaky_mail.failures = 100
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, user=make_user())
    assert 100 - flaky_mail.failures == tasks.MAX_ATTEMPTS
    assert mail.outbox == []
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    assert "Gave up sending confirmed email" in caplog.text


def test_a_retry_waits_when_the_queue_can_wait(settings, flaky_mail):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    flaky_mail.failures = 1
    registration = Registration.objects.create(
        event=make_event(), user=make_user(), status="confirmed"
    )
    assert tasks.send_registration_email.call(registration.pk, "confirmed") == "will retry"
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [registration.pk, "confirmed", 2]
    assert queued.run_after > timezone.now()
    assert mail.outbox == []


def test_the_waiting_list_email_gives_the_place_in_line(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    fill(event, confirmed=1, waiting=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=make_user())
    assert "waiting list" in mailoutbox[0].subject
    assert "number 3 in line" in mailoutbox[0].body
    assert mailoutbox[0].attachments == []


def test_an_email_that_is_no_longer_true_is_not_sent(mailoutbox):
    registration = Registration.objects.create(
        event=make_event(), user=make_user(), status="cancelled"
    )
    assert tasks.send_registration_email.call(registration.pk, "confirmed") == "no longer needed"
    assert mailoutbox == []


def test_the_confirmation_carries_the_joining_link_and_a_calendar_file(mailoutbox):
    link = "https://meet.example.org/room"
    event = make_event(online_url=link)
    registration = Registration.objects.create(event=event, user=make_user(), status="confirmed")
    tasks.send_registration_email.call(registration.pk, "confirmed")
    message = mailoutbox[0]
    assert link in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    assert link.encode() in (content if isinstance(content, bytes) else content.encode())
    assert "&amp;" not in message.body
