from django.db import migrations, models

# Keep the search vector in the row, compressed, rather than in the TOAST table: searching for a
# common word walks the recency index and tests each row's vector, and a TOAST fetch per row
# costs more than twice as much. lz4 decompresses fastest; builds without it keep pglz.
VECTOR_STORAGE = """
ALTER TABLE confessions_confession ALTER COLUMN search_vector SET STORAGE MAIN;
DO $$
BEGIN
    ALTER TABLE confessions_confession ALTER COLUMN search_vector SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$$;
"""
VECTOR_STORAGE_UNDO = """
ALTER TABLE confessions_confession ALTER COLUMN search_vector SET STORAGE EXTENDED;
ALTER TABLE confessions_confession ALTER COLUMN search_vector SET COMPRESSION default;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("confessions", "0002_moderator_permissions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="confession",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["sector", "-published_month", "-id"],
                name="confession_sector_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="confession",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["-me_too_count", "-published_month", "-id"],
                name="confession_me_too_idx",
            ),
        ),
        migrations.RunSQL(VECTOR_STORAGE, VECTOR_STORAGE_UNDO),
    ]
