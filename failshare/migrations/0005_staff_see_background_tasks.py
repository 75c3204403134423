from django.db import migrations

from failshare.permissions import grant


def grant_task_results(apps, schema_editor):
    # Moderators and organisers see the email tasks that failed, and send them again.
    for group in ("Moderators", "Organisers"):
        grant(apps, group, "django_tasks_database", ["view_dbtaskresult"])


class Migration(migrations.Migration):
    dependencies = [
        ("failshare", "0004_staff_audit"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(grant_task_results, migrations.RunPython.noop)]
