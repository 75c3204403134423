"""The words of a story's causes join its search index (weight B).

PostgreSQL cannot change a generated column's expression, so the column and the full-text index
on it are made again, after the immutable function that turns causes into their labels.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from confessions.models import CAUSE_WORDS_FUNCTION, cause_words_sql


class Migration(migrations.Migration):

    dependencies = [
        ('confessions', '0011_causes'),
    ]

    operations = [
        migrations.RunSQL(
            cause_words_sql(), f"DROP FUNCTION IF EXISTS {CAUSE_WORDS_FUNCTION}(varchar[])"
        ),
        migrations.RemoveIndex(model_name='confession', name='confession_search_gin'),
        migrations.RemoveField(model_name='confession', name='search_vector'),
        migrations.AddField(
            model_name='confession',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector('title', config='english', weight='A'), '||', django.contrib.postgres.search.SearchVector('what_we_learned', config='english', weight='A'), django.contrib.postgres.search.SearchConfig('english')), '||', django.contrib.postgres.search.SearchVector(models.Func('causes', function='confessions_cause_words', output_field=models.TextField()), config='english', weight='B'), django.contrib.postgres.search.SearchConfig('english')), '||', django.contrib.postgres.search.SearchVector('what_we_would_do_differently', config='english', weight='B'), django.contrib.postgres.search.SearchConfig('english')), '||', django.contrib.postgres.search.SearchVector('what_went_wrong', config='english', weight='C'), django.contrib.postgres.search.SearchConfig('english')), '||', django.contrib.postgres.search.SearchVector('what_happened', config='english', weight='D'), django.contrib.postgres.search.SearchConfig('english')), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name='confession',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector', 'published_month'], name='confession_search_gin'),
        ),
    ]
