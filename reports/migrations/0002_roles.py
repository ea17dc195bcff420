"""Create the three editorial roles as groups, so every install has them."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from reports.roles import GROUP_PERMISSIONS, install_groups


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
