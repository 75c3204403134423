"""Failed emails in the admin: organisers see the event emails' tasks, moderators the
moderators' digest, staff in no group nothing; "Send selected failed tasks again" queues a
failed one again and it is sent once."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from confessions import tasks as confession_tasks
from events import tasks as event_tasks
from events.models import Registration
from tests.confessions.stories import make_confession
from tests.events.conftest import make_event, make_user
from tests.events.test_emails import flaky_mail  # noqa: F401 - fixture
from tests.people import restore_staff_groups

# The worker closes connections between rounds, as it must in production: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CHANGELIST = reverse("admin:django_tasks_database_dbtaskresult_changelist")


@pytest.fixture(autouse=True)
def _staff_groups(transactional_db):
    restore_staff_groups()


@pytest.fixture
def failed(settings, flaky_mail):  # noqa: F811
    """One failed registration email and one failed digest, as the worker leaves them."""
    settings.TASKS = DATABASE_QUEUE
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    registration = Registration.objects.create(
        event=make_event(), user=make_user(), status="confirmed"
    )
    make_confession()
    email = event_tasks.send_registration_email.enqueue(
        registration.pk, "confirmed", event_tasks.MAX_ATTEMPTS
    )
    digest = confession_tasks.notify_moderators.enqueue(
        "6f1c1f3e-0000-4000-8000-000000000001", confession_tasks.MAX_ATTEMPTS
    )
    flaky_mail.failures = 2
    call_command("run_worker", "--batch")
    assert {str(pk) for pk in DBTaskResult.objects.failed().values_list("id", flat=True)} == {
        email.id,
        digest.id,
    }
    return {"email": str(email.id), "digest": str(digest.id)}


def listed(client) -> str:
    answer = client.get(CHANGELIST, {"status__exact": "FAILED"})
    assert answer.status_code == 200
    return answer.content.decode()


def test_organisers_see_the_failed_event_emails_and_not_the_digest(failed, organiser_client):
    page = listed(organiser_client)
    assert failed["email"] in page
    assert failed["digest"] not in page
    detail = reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed["digest"]])
    assert organiser_client.get(detail).status_code == 302  # "not found", back to the admin


def test_moderators_see_the_failed_digest_and_not_the_event_emails(failed, moderator_client):
    page = listed(moderator_client)
    assert failed["digest"] in page
    assert failed["email"] not in page


def test_superusers_see_both(failed, admin_client, admin_user):
    from tests.people import sign_in_with_second_factor

    sign_in_with_second_factor(admin_client, admin_user)
    page = listed(admin_client)
    assert failed["digest"] in page
    assert failed["email"] in page


def test_staff_in_no_group_see_none(failed, client, outsider_staff):
    client.force_login(outsider_staff)
    assert client.get(CHANGELIST).status_code == 403


def test_an_organiser_cannot_send_the_digest_again(failed, organiser_client, mailoutbox):
    answer = organiser_client.post(
        CHANGELIST, {"action": "send_again", "_selected_action": [failed["digest"]]}
    )
    assert answer.status_code == 302
    assert DBTaskResult.objects.ready().count() == 0
    call_command("run_worker", "--batch")
    assert mail.outbox == []


def test_a_moderator_sends_the_failed_digest_again_and_it_arrives_once(
    failed, moderator_client, mailoutbox
):
    for _ in range(2):  # pressed twice: the digest's key lets it leave once
        answer = moderator_client.post(
            CHANGELIST, {"action": "send_again", "_selected_action": [failed["digest"]]}
        )
        assert answer.status_code == 302
    call_command("run_worker", "--batch")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mods@example.org"]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert list(DBTaskResult.objects.successful().values_list("return_value", flat=True)) in (
        ["sent", "already sent"],
        ["already sent", "sent"],
    )
    call_command("notify_moderators", stdout=io.StringIO())  # the next digest is its own
    call_command("run_worker", "--batch")
    assert len(mail.outbox) == 2


def test_the_daily_prune_keeps_failed_emails_for_a_month_and_deletes_sent_ones(failed, mailoutbox):
    sent = event_tasks.send_registration_email.enqueue(
        Registration.objects.get().pk, "confirmed", event_tasks.MAX_ATTEMPTS
    )
    call_command("run_worker", "--batch")
    assert DBTaskResult.objects.get(pk=sent.id).status == TaskResultStatus.SUCCESSFUL
    # As the README's cron table runs it.
    call_command("prune_db_task_results", "--min-age-days", "0", "--failed-min-age-days", "30")
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {
        failed["email"],
        failed["digest"],
    }


def test_the_list_of_failed_tasks_costs_the_same_queries_however_many_failed(
    failed, organiser_client, django_assert_max_num_queries
):
    # Ten more failed event emails than the fixture made.
    rows = DBTaskResult.objects.filter(pk=failed["email"]).values()[0]
    for _ in range(10):
        DBTaskResult.objects.create(**{**rows, "id": None})
    with django_assert_max_num_queries(12):
        page = listed(organiser_client)
    assert page.count("send_registration_email") >= 11
