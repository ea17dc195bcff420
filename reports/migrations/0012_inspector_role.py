"""The 督察员 role (the rule-of-law office), and auditors reading the reminder records.

Self-contained on purpose: the role's permissions are copied here rather than imported
from live code, so this migration means the same thing however the code changes later.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

INSPECTOR_GROUP = "督察员"
INSPECTOR_PERMISSIONS = [
    ("reports", "inspect_reports"),
    ("reports", "view_report"),
    ("reports", "view_section"),
    ("reports", "view_item"),
    ("reports", "view_attachment"),
    ("reports", "view_revision"),
    ("reports", "view_workflowevent"),
    ("reports", "view_organization"),
    ("reports", "view_reminder"),
    ("taggit", "view_tag"),
]


def _permission(Permission, app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_inspector_role(apps, schema_editor):
    # Permissions are normally created after all migrations; the role needs them now.
    for label in ("reports", "taggit"):
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=INSPECTOR_GROUP)
    group.permissions.add(*(_permission(Permission, *pair) for pair in INSPECTOR_PERMISSIONS))
    # Auditors are the groups granted reports.audit_reports (migration 0007), whatever their name.
    for auditors in Group.objects.filter(
        permissions__content_type__app_label="reports", permissions__codename="audit_reports"
    ):
        auditors.permissions.add(_permission(Permission, "reports", "view_reminder"))


def remove_inspector_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=INSPECTOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0011_duty"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_inspector_role, remove_inspector_role)]
