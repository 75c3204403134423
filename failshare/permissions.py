"""Helpers for data migrations that give the staff groups their permissions."""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    """Give a group permissions, creating them first: they normally appear only after migrate."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # migration state has no module; create_permissions asks
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise LookupError(f"unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)
