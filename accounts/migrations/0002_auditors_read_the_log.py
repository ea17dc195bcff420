"""Auditors (审计员) may read the security audit log."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

# The name reports' migration 0002 gave the group, frozen here: a migration never imports live code.
AUDITOR_GROUP = "审计员"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the grant needs it now.
    create_permissions(global_apps.get_app_config("accounts"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=AUDITOR_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="accounts", codename="view_authevent"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=AUDITOR_GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="accounts", codename="view_authevent")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_auth_event"),
        ("reports", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
