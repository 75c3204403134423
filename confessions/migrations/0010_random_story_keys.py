import secrets

from django.db import migrations, models

import confessions.models

# Stories stored before this migration keep sequential keys that give away the order they
# arrived in: each gets a random key, and every foreign key pointing at it (whichever app's
# table it is in, found in PostgreSQL's catalogue) follows, as does the admin's history. So do
# the links to their tags and the tags they use.
# The old row versions stay on disk until the next VACUUM (README, "Privacy for operators").
# UnvacuumedWithdrawal is what ``manage.py vacuum_withdrawn`` reads to know a VACUUM is due.
_LOW, _HIGH = 2**52, 2**53
# Tags that stories use get random keys too (taggit's key is a 32-bit integer: the top half of
# its range, which the sequence shared with organisers' tags never reaches).
_TAG_LOW, _TAG_HIGH = 2**30, 2**31


def _random_keys(count: int, taken: set[int], low: int, high: int) -> list[int]:
    keys: list[int] = []
    while len(keys) < count:
        key = low + secrets.randbelow(high - low)
        if key not in taken:
            taken.add(key)
            keys.append(key)
    return keys


def _new_keys(cursor, select_old: str, taken: str, low: int, high: int) -> None:
    """Fill the temporary table ``new_keys`` with (old, new) for every key ``select_old``
    returns, avoiding every key ``taken`` returns."""
    cursor.execute("TRUNCATE new_keys")
    cursor.execute(select_old)
    old = [row[0] for row in cursor.fetchall()]
    cursor.execute(taken)
    pairs = zip(old, _random_keys(len(old), {row[0] for row in cursor}, low, high), strict=True)
    cursor.executemany("INSERT INTO new_keys (old, new) VALUES (%s, %s)", list(pairs))


def _rekey(cursor, quote, table: str) -> None:
    """Give the rows of ``table`` in ``new_keys`` their new key; every foreign key that points
    at them (whichever app's table it is in, from PostgreSQL's catalogue) follows."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, a.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid = %s::regclass
        """,
        [table],
    )
    for pointing, column in [*cursor.fetchall(), (table, "id")]:
        pointing, column = quote(pointing), quote(column)
        cursor.execute(
            f"UPDATE {pointing} SET {column} = k.new FROM new_keys k"  # noqa: S608
            f" WHERE {pointing}.{column} = k.old"
        )


def give_random_keys(apps, schema_editor):
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # The stories' own triggers compare each old row with its new one by key, which a new
        # key defeats (a join of every row with every row): off while re-keying, and the pages
        # made stale once at the end instead.
        cursor.execute("ALTER TABLE confessions_confession DISABLE TRIGGER USER")
        cursor.execute(
            "CREATE TEMPORARY TABLE new_keys (old bigint PRIMARY KEY, new bigint UNIQUE)"
            " ON COMMIT DROP"
        )
        stories = "SELECT id FROM confessions_confession"
        _new_keys(cursor, stories, stories, _LOW, _HIGH)
        _rekey(cursor, quote, "confessions_confession")
        cursor.execute(
            """
            UPDATE django_admin_log SET object_id = k.new::text FROM new_keys k
            WHERE django_admin_log.object_id = k.old::text AND content_type_id = (
                SELECT id FROM django_content_type
                WHERE app_label = 'confessions' AND model = 'confession')
            """
        )
        links = "SELECT id FROM confessions_taggedstory"
        _new_keys(cursor, links, links, _LOW, _HIGH)
        _rekey(cursor, quote, "confessions_taggedstory")
        _new_keys(
            cursor,
            "SELECT DISTINCT tag_id FROM confessions_taggedstory WHERE tag_id < %d" % _TAG_LOW,
            "SELECT id FROM taggit_tag",
            _TAG_LOW,
            _TAG_HIGH,
        )
        _rekey(cursor, quote, "taggit_tag")
        # Checked now, so no check is left pending for a later step of the migration.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE confessions_confession ENABLE TRIGGER USER")
        cursor.execute("SELECT failshare_bump(ARRAY['stories', 'events'])")
        cursor.execute("DROP TABLE new_keys")


class Migration(migrations.Migration):
    dependencies = [
        ("confessions", "0009_digest_sent"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="confession",
            name="id",
            field=models.BigIntegerField(
                default=confessions.models.random_key,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
        migrations.AlterField(
            model_name="taggedstory",
            name="id",
            field=models.BigIntegerField(
                default=confessions.models.random_key,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
        migrations.RunPython(give_random_keys, migrations.RunPython.noop),
        migrations.CreateModel(
            name="UnvacuumedWithdrawal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={"verbose_name": "withdrawal not vacuumed yet"},
        ),
    ]
