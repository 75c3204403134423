"""A past event's resources are on its public pages: changing them raises the "events" version
(see failshare/models.py), as events/0004 does for events."""

from django.db import migrations

from failshare.models import EVENTS

TABLES = ["events_eventresource"]

TRIGGERS = "".join(
    f"""
CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION failshare_content_changed('{EVENTS}');
"""
    for table in TABLES
)
UNDO = "".join(f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n" for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_season"),
        ("failshare", "0002_content_versions"),
    ]

    operations = [
        migrations.RunSQL(TRIGGERS, UNDO),
    ]
