"""manage.py vacuum_withdrawn: the old row versions a withdrawal leaves are vacuumed, and only
when a withdrawal happened since the last run (issue 12, point 4)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from confessions.models import Confession, UnvacuumedWithdrawal
from confessions.services import confession_withdraw
from confessions.vacuum import REORDERED, story_tables, vacuum_after_withdrawals
from tests.confessions.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)


def vacuum_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, vacuum_count FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [story_tables()],
        )
        return dict(cursor.fetchall())


def dead_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def run(*args) -> str:
    out = io.StringIO()
    call_command("vacuum_withdrawn", *args, stdout=out)
    return out.getvalue()


def test_the_story_tables_are_the_stories_those_pointing_at_them_the_history_and_tags():
    tables = story_tables()
    for table in (
        "confessions_confession",
        "confessions_taggedstory",
        "confessions_moderationdecision",
        "django_admin_log",
        "taggit_tag",
    ):
        assert table in tables


def test_without_a_withdrawal_nothing_is_vacuumed():
    make_story(tags=("budgets",))
    before = vacuum_counts()
    assert "Nothing to vacuum" in run()
    assert vacuum_counts() == before


def test_after_a_withdrawal_every_story_table_is_vacuumed_once():
    story = make_story(tags=("a-tag-only-this-story-has",))
    confession_withdraw(confession=story)
    assert UnvacuumedWithdrawal.objects.count() == 1
    before = vacuum_counts()

    assert "Vacuumed" in run()

    after = vacuum_counts()
    assert set(after) == set(story_tables())
    assert all(after[table] == before[table] + 1 for table in after)
    assert dead_rows(Confession._meta.db_table) == 0
    assert not UnvacuumedWithdrawal.objects.exists()
    # The next run has nothing to do.
    assert "Nothing to vacuum" in run()
    assert vacuum_counts() == after


def test_force_vacuums_without_a_withdrawal():
    make_story()
    before = vacuum_counts()
    assert "Vacuumed" in run("--force")
    after = vacuum_counts()
    assert all(after[table] == before[table] + 1 for table in after)


def test_withdrawing_twice_records_one_withdrawal_and_nothing_that_names_the_story():
    story = make_story()
    confession_withdraw(confession=story)
    confession_withdraw(confession=story)
    assert UnvacuumedWithdrawal.objects.count() == 1
    assert [field.name for field in UnvacuumedWithdrawal._meta.fields] == ["id"]


def test_it_refuses_to_run_inside_a_transaction():
    UnvacuumedWithdrawal.objects.create()
    with transaction.atomic(), pytest.raises(RuntimeError):
        vacuum_after_withdrawals()
    assert UnvacuumedWithdrawal.objects.count() == 1


def keys_as_stored(table: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY ctid")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_reorder_rewrites_the_story_tables_in_key_order_not_arrival_order():
    for number in range(12):
        make_story(tags=(f"brought-by-writer-{number}",))
    arrival = keys_as_stored("confessions_confession")
    assert arrival != sorted(arrival)  # as stored: the order they came in

    output = run("--reorder")

    assert "Rewrote in key order" in output
    for table in REORDERED:
        stored = keys_as_stored(table)
        assert stored == sorted(stored), table
    assert dead_rows("confessions_confession") == 0
