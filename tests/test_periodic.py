"""Periodic commands record when they last ran (failshare/periodic.py), for the operator's page:
the day only, whether the run ended well, and the day of the last run that did."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from failshare.models import CommandRun
from failshare.periodic import last_runs, recorded_run, records_run

pytestmark = pytest.mark.django_db


def test_a_decorated_command_records_its_run_under_its_name():
    call_command("prune_staff_audit")
    run = CommandRun.objects.get(command="prune_staff_audit")
    assert run.last_ran_on == timezone.localdate()
    assert run.last_succeeded is True
    assert run.last_success_on == timezone.localdate()


def test_the_moderators_digest_records_its_run_even_when_nothing_waits():
    call_command("notify_moderators")
    assert CommandRun.objects.get(command="notify_moderators").last_succeeded


def test_a_failed_run_is_recorded_and_its_error_still_raised():
    days_ago = timezone.localdate() - timedelta(days=3)
    CommandRun.objects.create(
        command="send_digests", last_ran_on=days_ago, last_succeeded=True, last_success_on=days_ago
    )
    with pytest.raises(RuntimeError, match="mail server refused"), recorded_run("send_digests"):
        raise RuntimeError("mail server refused")
    run = CommandRun.objects.get(command="send_digests")
    assert run.last_ran_on == timezone.localdate()
    assert run.last_succeeded is False
    assert run.last_success_on == days_ago  # the last run that ended well


def test_the_decorator_records_a_failing_handle_as_failed():
    class Command(BaseCommand):
        @records_run
        def handle(self, *args, **options):
            raise CommandError("no")

    Command.__module__ = "events.management.commands.send_reminders"
    with pytest.raises(CommandError):
        call_command(Command())
    assert CommandRun.objects.get(command="send_reminders").last_succeeded is False


def test_any_command_can_be_run_and_recorded_through_periodic_with_its_options():
    call_command("periodic", "check", "--tag", "models")
    call_command("periodic", "clearsessions")
    recorded = set(CommandRun.objects.values_list("command", flat=True))
    assert recorded == {"check", "clearsessions"}


def test_periodic_passes_the_options_on_and_records_a_failure():
    call_command("periodic", "check", "--tag", "models")
    assert CommandRun.objects.get(command="check").last_succeeded
    # The option reached check itself: an unknown tag makes it fail, and the run is recorded so.
    with pytest.raises(CommandError, match="no-such-tag"):
        call_command("periodic", "check", "--tag", "no-such-tag")
    assert CommandRun.objects.get(command="check").last_succeeded is False


def test_listed_commands_show_before_their_first_run_and_others_after_them():
    call_command("periodic", "clearsessions")
    with recorded_run("a_command_not_listed"):
        pass
    rows = {row.command: row for row in last_runs()}
    assert rows["notify_moderators"].run is None
    assert rows["notify_moderators"].days_ago is None
    assert rows["clearsessions"].days_ago == 0
    assert rows["a_command_not_listed"].label == "a_command_not_listed"
    assert list(rows)[-1] == "a_command_not_listed"  # listed ones first


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(
            "vacuum_withdrawn",
            # VACUUM cannot run inside the transaction a test is otherwise wrapped in.
            marks=pytest.mark.django_db(transaction=True),
        ),
        "send_event_reminders",
        "send_feedback_requests",
        "send_digests",
        "build_open_data",
    ],
)
def test_every_site_command_of_the_cron_table_records_its_run(command):
    call_command(command)
    assert CommandRun.objects.get(command=command).last_succeeded


def test_the_operator_page_lists_every_command_of_the_readmes_cron_table():
    from pathlib import Path

    from failshare.periodic import PERIODIC_COMMANDS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("# m  h    dom mon dow  command", 1)[1].split("```", 1)[0]
    commands = [line.split("manage.py", 1)[1].split() for line in table.strip().splitlines()]
    in_cron = {words[1] if words[0] == "periodic" else words[0] for words in commands}
    assert in_cron <= set(PERIODIC_COMMANDS), in_cron - set(PERIODIC_COMMANDS)
