"""Demo accounts get a marker, so production can refuse them at sign-in.

Accounts made by create_demo_accounts before this migration are recognised by what that
command gave them: one of its three user names and a display name ending in （演示）.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# As reports/management/commands/create_demo_accounts.py names them (copied: migrations use no live code).
DEMO_USERNAMES = ["clerk", "editor", "auditor"]
DEMO_NAME_SUFFIX = "（演示）"


def mark_existing_demo_accounts(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    DemoAccount = apps.get_model("accounts", "DemoAccount")
    for user in User.objects.filter(username__in=DEMO_USERNAMES, first_name__endswith=DEMO_NAME_SUFFIX):
        DemoAccount.objects.get_or_create(user=user)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_auditors_read_the_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="DemoAccount",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="demo_account",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="创建时间")),
            ],
            options={
                "verbose_name": "演示账号",
                "verbose_name_plural": "演示账号",
            },
        ),
        migrations.RunPython(mark_existing_demo_accounts, migrations.RunPython.noop),
    ]
