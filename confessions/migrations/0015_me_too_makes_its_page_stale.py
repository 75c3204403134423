"""A change of a published story's "this happened to us too" count raises that story's own
content version (``me-too:<slug>``, see confessions.models.me_too_namespace), in the same
transaction. Its page is cached under the stories' version and this one, both read in one query,
so a press makes that page stale at once, and only that page."""

from django.db import migrations

from confessions.models import ME_TOO_NAMESPACE_PREFIX, Status

PUBLISHED = Status.APPROVED.value

TRIGGER = f"""
CREATE FUNCTION confessions_me_too_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO failshare_contentversion (namespace, version)
    SELECT '{ME_TOO_NAMESPACE_PREFIX}' || n.slug, nextval('failshare_content_version_seq')
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE n.status = '{PUBLISHED}' AND n.me_too_count IS DISTINCT FROM o.me_too_count
    ON CONFLICT (namespace) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END
$$;

CREATE TRIGGER confessions_confession_me_too_changed AFTER UPDATE ON confessions_confession
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION confessions_me_too_changed();
"""

UNDO = "DROP FUNCTION IF EXISTS confessions_me_too_changed() CASCADE;"


class Migration(migrations.Migration):
    dependencies = [
        ("confessions", "0014_conversation"),
        ("failshare", "0006_command_runs_and_page_namespaces"),
    ]

    operations = [migrations.RunSQL(TRIGGER, UNDO)]
