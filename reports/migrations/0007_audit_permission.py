"""Auditors are recognised by a permission, ``reports.audit_reports``, not by their group's name.

A superuser may rename any group; before this, renaming 审计员 silently lifted the
auditors' read-only rule. The auditors' group is found by what it grants (it sees every
report and may change none), so a group already renamed is found too.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def _auditor_groups(apps):
    Group = apps.get_model("auth", "Group")
    sees_all = Group.objects.filter(
        permissions__content_type__app_label="reports", permissions__codename="view_all_reports"
    )
    changes = Group.objects.filter(
        permissions__content_type__app_label="reports",
        permissions__codename__in=["change_report", "review_report", "add_report"],
    )
    return sees_all.exclude(pk__in=changes.values("pk"))


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the grant needs this one now.
    create_permissions(global_apps.get_app_config("reports"), verbosity=0, apps=apps)
    Permission = apps.get_model("auth", "Permission")
    audit = Permission.objects.get(content_type__app_label="reports", codename="audit_reports")
    for group in _auditor_groups(apps):
        group.permissions.add(audit)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for audit in Permission.objects.filter(content_type__app_label="reports", codename="audit_reports"):
        audit.group_set.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_publication_records"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="report",
            options={
                "ordering": ["-year", "organization__order", "organization__name"],
                "permissions": [
                    ("audit_reports", "审计（只读：可查看全部报告及其历史，不能修改任何内容）"),
                    ("view_all_reports", "可查看所有单位的报告"),
                    ("review_report", "可审核、发布和撤回报告"),
                    ("review_all_organizations", "可审核所有单位的报告"),
                ],
                "verbose_name": "报告",
                "verbose_name_plural": "报告",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
