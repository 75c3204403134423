"""Any change to what the public can read of the stories raises the "stories" version
(see failshare/models.py), in the same transaction as the change.

What counts: a published story added, removed or changed (its "this happened to us too" count
excepted: a story's page carries that count in its own cache key, and presses must not empty
every page), and the tags of a published story. A story waiting for moderation changes nothing
public, so its arrival raises nothing.
"""

from django.db import migrations

from confessions.models import Status
from failshare.models import STORIES

PUBLISHED = Status.APPROVED.value

TRIGGERS = f"""
CREATE FUNCTION confessions_story_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM new_rows WHERE status = '{PUBLISHED}' LIMIT 1;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM old_rows WHERE status = '{PUBLISHED}' LIMIT 1;
    ELSE
        PERFORM 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.status = '{PUBLISHED}' OR n.status = '{PUBLISHED}')
          AND to_jsonb(o) - 'me_too_count' IS DISTINCT FROM to_jsonb(n) - 'me_too_count'
        LIMIT 1;
    END IF;
    IF FOUND THEN
        PERFORM failshare_bump(ARRAY['{STORIES}']);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION confessions_story_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM 1 FROM new_rows t JOIN confessions_confession s ON s.id = t.content_object_id
        WHERE s.status = '{PUBLISHED}' LIMIT 1;
    END IF;
    IF NOT FOUND AND TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM 1 FROM old_rows t JOIN confessions_confession s ON s.id = t.content_object_id
        WHERE s.status = '{PUBLISHED}' LIMIT 1;
    END IF;
    IF FOUND THEN
        PERFORM failshare_bump(ARRAY['{STORIES}']);
    END IF;
    RETURN NULL;
END
$$;
"""
for table, function in [
    ("confessions_confession", "confessions_story_changed"),
    ("confessions_taggedstory", "confessions_story_tags_changed"),
]:
    TRIGGERS += f"""
CREATE TRIGGER {table}_inserted AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_updated AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_deleted AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_truncated AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION failshare_content_changed('{STORIES}');
"""

UNDO = """
DROP FUNCTION IF EXISTS confessions_story_changed() CASCADE;
DROP FUNCTION IF EXISTS confessions_story_tags_changed() CASCADE;
DROP TRIGGER IF EXISTS confessions_confession_truncated ON confessions_confession;
DROP TRIGGER IF EXISTS confessions_taggedstory_truncated ON confessions_taggedstory;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("confessions", "0006_tags_through_model"),
        ("failshare", "0002_content_versions"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, UNDO)]
