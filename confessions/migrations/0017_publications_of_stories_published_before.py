"""Stories published before digests existed get their place in the order of first publications
too (by month), so the digests' order covers every published story: a subscription confirmed
from now on starts after them all, and nothing published is missing from the order."""

from django.db import migrations


def give_places(apps, schema_editor):
    Confession = apps.get_model("confessions", "Confession")
    Publication = apps.get_model("confessions", "Publication")
    published = (
        Confession.objects.filter(status="approved", publication__isnull=True)
        .order_by("published_month", "id")
        .values_list("id", flat=True)
    )
    Publication.objects.bulk_create(
        (Publication(confession_id=story) for story in published.iterator()),
        batch_size=5000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("confessions", "0016_helped_makes_its_page_stale")]

    operations = [migrations.RunPython(give_places, migrations.RunPython.noop)]
