"""A change of a published response's "this helped" count raises its story's own content version
(``me-too:<slug>``, as a press of "this happened to us too" does, migration 0015), in the same
transaction: the story's page shows the count, so it goes stale at once, and only that page."""

from django.db import migrations

from confessions.models import ME_TOO_NAMESPACE_PREFIX, Status

PUBLISHED = Status.APPROVED.value

TRIGGER = f"""
CREATE FUNCTION confessions_helped_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO failshare_contentversion (namespace, version)
    SELECT DISTINCT ON (s.slug) '{ME_TOO_NAMESPACE_PREFIX}' || s.slug,
        nextval('failshare_content_version_seq')
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    JOIN confessions_confession s ON s.id = n.confession_id
    WHERE n.status = '{PUBLISHED}' AND n.helped_count IS DISTINCT FROM o.helped_count
        AND s.status = '{PUBLISHED}'
    ON CONFLICT (namespace) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END
$$;

CREATE TRIGGER confessions_storyresponse_helped_changed AFTER UPDATE ON confessions_storyresponse
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION confessions_helped_changed();
"""

UNDO = "DROP FUNCTION IF EXISTS confessions_helped_changed() CASCADE;"


class Migration(migrations.Migration):
    dependencies = [("confessions", "0015_me_too_makes_its_page_stale")]

    operations = [migrations.RunSQL(TRIGGER, UNDO)]
