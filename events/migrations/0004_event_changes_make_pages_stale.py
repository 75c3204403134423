"""Any change to events, their tags or their registrations (places left) raises the "events"
version (see failshare/models.py), in the same transaction as the change."""

from django.db import migrations

from failshare.models import EVENTS

TABLES = ["events_event", "events_taggedevent", "events_registration"]

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
        ("events", "0003_tags_through_model"),
        ("failshare", "0002_content_versions"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, UNDO)]
