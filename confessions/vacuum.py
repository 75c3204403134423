"""Freeing the old row versions a withdrawal leaves behind.

A withdrawal overwrites a story's text, but PostgreSQL keeps the old version of each row it
changed (the story, its tag links, the moderators' reasons, the admin's history, its tags) in the
table's files until a VACUUM marks it free. ``vacuum_after_withdrawals`` vacuums those tables when
a withdrawal happened since it last ran, and only then.
"""

from django.db import connection, transaction

from confessions.models import Confession, UnvacuumedWithdrawal

# Tables a withdrawal writes to besides the story's own and those pointing at it.
_ALSO = ("django_admin_log", "taggit_tag")


def story_tables() -> list[str]:
    """The story table, every table with a foreign key to it (any app's), and ``_ALSO``."""
    story_table = Confession._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint"
            " WHERE contype = 'f' AND confrelid = %s::regclass",
            [story_table],
        )
        pointing = sorted(row[0] for row in cursor.fetchall())
    names = [story_table, *pointing, *_ALSO, UnvacuumedWithdrawal._meta.db_table]
    return list(dict.fromkeys(names))


def vacuum_after_withdrawals(*, force: bool = False) -> list[str]:
    """VACUUM (ANALYZE) the story tables if any story was withdrawn since the last time (or
    ``force``); return the tables vacuumed (none when there was nothing to do)."""
    if connection.in_atomic_block:
        raise RuntimeError("VACUUM cannot run inside a transaction")
    seen = list(UnvacuumedWithdrawal.objects.values_list("pk", flat=True))
    if not seen and not force:
        return []
    tables = story_tables()
    quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {quoted}")
    # Only the withdrawals seen before the VACUUM: one made while it ran waits for the next run.
    with transaction.atomic():
        UnvacuumedWithdrawal.objects.filter(pk__in=seen).delete()
    return tables


# The tables a writer adds rows to, with random keys: stories, their tag links, their tags.
REORDERED = ("confessions_confession", "confessions_taggedstory", "taggit_tag")


def reorder_story_rows() -> list[str]:
    """Rewrite the tables a story adds rows to in the order of their (random) keys, with
    CLUSTER; return the tables rewritten. A dump lists rows as they lie in the files, which is
    otherwise roughly the order they were written: after this, only the rows written since the
    last run stand apart. The rewrite also leaves no old row version behind. Each table is
    locked while it is rewritten (reads wait), so run it when the site is quiet."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in REORDERED:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text FROM pg_index i"
                " WHERE i.indrelid = %s::regclass AND i.indisprimary",
                [table],
            )
            (index,) = cursor.fetchone()
            cursor.execute(f"CLUSTER {quote(table)} USING {index}")
            cursor.execute(f"ANALYZE {quote(table)}")
    return list(REORDERED)
