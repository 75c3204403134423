from django.db import migrations, models

from failshare.models import EVENTS, NAMESPACES, STORIES

# failshare_bump(namespaces) raises the versions of those namespaces. A trigger function built
# on it, failshare_content_changed(namespace, ...), serves tables where any change counts.
FUNCTIONS = f"""
CREATE SEQUENCE failshare_content_version_seq;
INSERT INTO failshare_contentversion (namespace, version)
    SELECT namespace, nextval('failshare_content_version_seq')
    FROM unnest(ARRAY{list(NAMESPACES)!r}::text[]) AS namespace;

-- An upsert, so a namespace whose row went missing (a flushed table) starts again past every
-- version used before.
CREATE FUNCTION failshare_bump(namespaces text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO failshare_contentversion (namespace, version)
    SELECT namespace, nextval('failshare_content_version_seq') FROM unnest(namespaces) AS namespace
    ON CONFLICT (namespace) DO UPDATE SET version = EXCLUDED.version
$$;

CREATE FUNCTION failshare_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM failshare_bump(TG_ARGV::text[]);
    RETURN NULL;
END
$$;

-- A tag renamed, merged or deleted changes every page that names it. A new tag is on no page
-- until a story or an event is linked to it (the apps' own triggers see that).
CREATE TRIGGER taggit_tag_changed
    AFTER UPDATE OR DELETE OR TRUNCATE ON taggit_tag
    FOR EACH STATEMENT EXECUTE FUNCTION failshare_content_changed('{STORIES}', '{EVENTS}');
"""

UNDO = """
DROP TRIGGER IF EXISTS taggit_tag_changed ON taggit_tag;
DROP FUNCTION IF EXISTS failshare_content_changed();
DROP FUNCTION IF EXISTS failshare_bump(text[]);
DROP SEQUENCE IF EXISTS failshare_content_version_seq;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("failshare", "0001_staff_groups"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "namespace",
                    models.CharField(max_length=32, primary_key=True, serialize=False),
                ),
                ("version", models.BigIntegerField()),
            ],
        ),
        migrations.RunSQL(FUNCTIONS, UNDO),
    ]
