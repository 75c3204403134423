"""The operator's page: true counts of waiting work and failures, every age in whole days."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from confessions.models import Confession, Status
from tests.confessions.factories import make_story
from tests.people import give_second_factor, make_user, sign_in_with_second_factor

OPERATOR = "/admin/operator/"


def superuser_client() -> Client:
    root = make_user("root@example.org", is_staff=True, is_superuser=True)
    give_second_factor(root)
    client = Client()
    sign_in_with_second_factor(client, root)
    return client


def cell(body: str, cell_id: str) -> str:
    return re.search(rf'id="{cell_id}">([^<]*)<', body).group(1)


def task(status: str, enqueued_days_ago: int) -> None:
    result = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="events.tasks.send_registration_email",
        backend_name="default",
        run_after=timezone.now(),
    )
    # enqueued_at is set on insert; move it back as if it had waited.
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - timedelta(days=enqueued_days_ago, hours=5)
    )


def test_it_shows_true_counts_and_ages_in_days(db):
    today = timezone.localdate()
    make_story(status=Status.PENDING, submitted_on=today - timedelta(days=4))
    make_story(status=Status.PENDING, submitted_on=today)
    make_story()  # published: not waiting
    task(TaskResultStatus.READY, 2)
    task(TaskResultStatus.READY, 0)
    task(TaskResultStatus.FAILED, 1)
    body = superuser_client().get(OPERATOR).content.decode()
    assert cell(body, "stories-pending") == "2"
    assert cell(body, "oldest-pending") == "4"
    assert cell(body, "tasks-waiting") == "2"
    assert cell(body, "oldest-task") == "2"
    assert cell(body, "tasks-failed") == "1"
    assert cell(body, "database-up") == "yes"
    assert cell(body, "redis-up") == "not configured"
    assert Confession.objects.pending().count() == 2


def test_it_dates_nothing_finer_than_the_day(db):
    make_story(status=Status.PENDING)
    task(TaskResultStatus.READY, 0)
    body = superuser_client().get(OPERATOR).content.decode()
    content = body[body.index('id="content-main"') :]
    assert not re.search(r"\d{1,2}:\d{2}|hour|minute|second", content)


def test_it_says_when_nothing_waits(db):
    body = superuser_client().get(OPERATOR).content.decode()
    assert cell(body, "stories-pending") == "0"
    assert cell(body, "oldest-pending") == "–"


def test_only_superusers_open_it(moderator_client, organiser_client, client, outsider_staff):
    assert moderator_client.get(OPERATOR).status_code == 403
    assert organiser_client.get(OPERATOR).status_code == 403
    client.force_login(outsider_staff)
    assert client.get(OPERATOR).status_code == 403
    assert Client().get(OPERATOR).status_code == 302  # to the sign-in page


def test_superusers_find_it_from_the_admin_home(db):
    assert OPERATOR in superuser_client().get("/admin/").content.decode()


def run_row(body: str, command: str) -> str:
    return re.search(rf'<tr id="run-{command}">(.*?)</tr>', body, re.S).group(1)


def test_it_shows_when_each_periodic_command_last_ran_to_the_day(db):
    from django.core.management import call_command

    from failshare.models import CommandRun

    call_command("prune_staff_audit")
    week_ago = timezone.localdate() - timedelta(days=7)
    CommandRun.objects.create(
        command="notify_moderators",
        last_ran_on=timezone.localdate() - timedelta(days=2),
        last_succeeded=False,
        last_success_on=week_ago,
    )
    body = superuser_client().get(OPERATOR).content.decode()
    pruning = run_row(body, "prune_staff_audit")
    assert f'class="ran-on">{timezone.localdate():%-d %B %Y}<' in pruning
    assert 'class="days-ago">0<' in pruning
    assert 'class="outcome">well<' in pruning
    digest = run_row(body, "notify_moderators")
    assert 'class="days-ago">2<' in digest
    assert 'class="outcome">with an error<' in digest
    assert f'class="success-on">{week_ago:%-d %B %Y}<' in digest
    never = run_row(body, "clearsessions")
    assert 'class="ran-on">never<' in never
    content = body[body.index('id="content-main"') :]
    assert not re.search(r"\d{1,2}:\d{2}|hour|minute|second", content)


def test_it_counts_responses_reports_answers_and_resources_waiting_in_days(db):
    from confessions.models import Message, Report, StoryResponse
    from confessions.resources.models import Resource, ResourceStatus

    today = timezone.localdate()
    story, other = make_story(), make_story()
    StoryResponse.objects.create(confession=story, text="Same here.")
    old = StoryResponse.objects.create(confession=story, text="We did that too.")
    StoryResponse.objects.filter(pk=old.pk).update(submitted_on=today - timedelta(days=3))
    published = StoryResponse.objects.create(confession=other, text="Ok.", status="approved")
    Report.objects.create(confession=story, reason="identifies")
    Report.objects.create(confession=story, reason="identifies")
    report = Report.objects.create(response=published, reason="identifies")
    Report.objects.filter(pk=report.pk).update(reported_on=today - timedelta(days=2))
    answer = Message.objects.create(confession=other, position=1, author="writer", text="Yes")
    Message.objects.filter(pk=answer.pk).update(unread=True, sent_on=today - timedelta(days=1))
    Message.objects.create(confession=other, position=2, author="moderator", text="Thanks")
    Resource.objects.create(
        title="A guide", url="https://example.org/g", description="How.", status="pending"
    )
    Resource.objects.create(
        title="Another",
        url="https://example.org/h",
        description="How.",
        status=ResourceStatus.APPROVED,
    )
    body = superuser_client().get(OPERATOR).content.decode()
    assert cell(body, "responses-pending") == "2"
    assert cell(body, "oldest-response") == "3"
    assert cell(body, "reported-waiting") == "2"  # one story, one response
    assert cell(body, "oldest-report") == "2"
    assert cell(body, "answers-waiting") == "1"
    assert cell(body, "oldest-answer") == "1"
    assert cell(body, "resources-pending") == "1"
    assert cell(body, "oldest-resource") == "0"
