from django.db import migrations

from failshare.permissions import grant


def grant_moderators(apps, schema_editor):
    grant(
        apps,
        "Moderators",
        "confessions",
        ["view_confession", "change_confession", "view_moderationdecision"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("confessions", "0001_initial"),
        ("failshare", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]
