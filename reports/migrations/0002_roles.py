"""Create the three editorial roles as groups, so every install has them."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of the roles as they were defined when this migration was written; later
# changes to roles live in later migrations, never here, and never through live code.
_DRAFTING = [
    "view_report",
    "add_report",
    "change_report",
    *(f"{verb}_{model}" for model in ("section", "item", "attachment") for verb in ("view", "add", "change", "delete")),
    "view_revision",
    "view_workflowevent",
    "taggit.view_tag",
    "taggit.add_tag",
]
GROUP_PERMISSIONS = {
    "起草人": _DRAFTING,
    "审核人": [*_DRAFTING, "review_report", "view_organization"],
    "审计员": [
        "view_report",
        "view_all_reports",
        "view_section",
        "view_item",
        "view_attachment",
        "view_revision",
        "view_workflowevent",
        "view_organization",
        "taggit.view_tag",
    ],
}


def install_groups(group_model, permission_model) -> None:
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for qualified in codenames:
            app_label, _, codename = qualified.rpartition(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label or "reports", codename=codename)
            )
        group.permissions.set(permissions)


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for label in ("reports", "taggit", "auth"):
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    install_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUP_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
