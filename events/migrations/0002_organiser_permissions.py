from django.db import migrations

from failshare.permissions import grant


def grant_organisers(apps, schema_editor):
    grant(
        apps,
        "Organisers",
        "events",
        [
            "add_event",
            "change_event",
            "delete_event",
            "view_event",
            "add_question",
            "change_question",
            "delete_question",
            "view_question",
            "view_registration",
            "change_registration",
            "view_answer",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("failshare", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(grant_organisers, migrations.RunPython.noop)]
