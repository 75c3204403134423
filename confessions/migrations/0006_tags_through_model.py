import django.db.models.deletion
import taggit.managers
from django.db import migrations, models

# taggit's generic table held this app's tags until now: the links move to the table of our own
# model (a real foreign key), and leave the generic one.
_OWN_TYPE = (
    "SELECT id FROM django_content_type WHERE app_label = 'confessions' AND model = 'confession'"
)
MOVE_TAGS = f"""
INSERT INTO confessions_taggedstory (content_object_id, tag_id)
    SELECT DISTINCT object_id, tag_id FROM taggit_taggeditem WHERE content_type_id = ({_OWN_TYPE});
DELETE FROM taggit_taggeditem WHERE content_type_id = ({_OWN_TYPE});
"""
MOVE_TAGS_BACK = f"""
INSERT INTO taggit_taggeditem (content_type_id, object_id, tag_id)
    SELECT ({_OWN_TYPE}), content_object_id, tag_id FROM confessions_taggedstory;
DELETE FROM confessions_taggedstory;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('confessions', '0005_search_index_with_month'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaggedStory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='confessions.confession')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
            ],
        ),
        migrations.AddIndex(
            model_name='taggedstory',
            index=models.Index(fields=['tag', '-content_object'], name='taggedstory_tag_idx'),
        ),
        migrations.AddConstraint(
            model_name='taggedstory',
            constraint=models.UniqueConstraint(fields=('content_object', 'tag'), name='one_tag_per_story'),
        ),
        migrations.RunSQL(MOVE_TAGS, MOVE_TAGS_BACK),
        migrations.AlterField(
            model_name='confession',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='Comma-separated topics, e.g. procurement', through='confessions.TaggedStory', to='taggit.Tag', verbose_name='Tags'),
        ),
    ]
