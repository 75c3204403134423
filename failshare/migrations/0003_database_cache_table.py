"""The table of Django's database cache, which holds what server processes must share when the
site runs without Redis (see CACHES in failshare/settings.py). Made here so that no deployment
step can forget it; with Redis it simply stays empty."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "failshare_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("failshare", "0002_content_versions")]

    operations = [migrations.RunPython(create_table, drop_table)]
