"""Each story is indexed in its own language: English with the english configuration, Welsh word
for word with simple (PostgreSQL has no Welsh stemmer), the Welsh ones also in a small index of
their own.

PostgreSQL cannot change a generated column's expression, so the column and the full-text index
on it are made again (as in 0012).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('confessions', '0018_content_language'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='confession', name='confession_search_gin'),
        migrations.RemoveField(model_name='confession', name='search_vector'),
        migrations.AddField(
            model_name='confession',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector('title', config=django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english'))), weight='A'), '||', django.contrib.postgres.search.SearchVector('what_we_learned', config=django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english'))), weight='A'), django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english')))), '||', django.contrib.postgres.search.SearchVector(models.Func('causes', function='confessions_cause_words', output_field=models.TextField()), config='english', weight='B'), django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english')))), '||', django.contrib.postgres.search.SearchVector('what_we_would_do_differently', config=django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english'))), weight='B'), django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english')))), '||', django.contrib.postgres.search.SearchVector('what_went_wrong', config=django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english'))), weight='C'), django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english')))), '||', django.contrib.postgres.search.SearchVector('what_happened', config=django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english'))), weight='D'), django.contrib.postgres.search.SearchConfig(models.Case(models.When(models.Q(('language', 'cy')), then=django.contrib.postgres.search.SearchConfig('simple')), default=django.contrib.postgres.search.SearchConfig('english')))), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name='confession',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector', 'published_month'], name='confession_search_gin'),
        ),
        migrations.AddIndex(
            model_name='confession',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('language', 'cy')), fields=['search_vector', 'published_month'], name='confession_welsh_search_gin'),
        ),
    ]
