from django.db import migrations

from failshare.permissions import grant

MANAGED = ["membershiptier", "memberorganisation", "memberdomain", "membership"]
MANAGED += ["eventresource", "feedbackquestion"]


def grant_organisers(apps, schema_editor):
    """Organisers manage member organisations and their years and tiers, resources and
    feedback questions; they write to attendees and read the feedback."""
    grant(
        apps,
        "Organisers",
        "events",
        [f"{action}_{model}" for model in MANAGED for action in ("add", "change", "delete", "view")]
        + ["add_organisermessage", "view_organisermessage"]
        + ["view_feedbackresponse", "view_feedbackanswer"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_resource_triggers"),
        ("failshare", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(grant_organisers, migrations.RunPython.noop)]
