"""Give every item a stable identity (``Item.key``) that snapshots carry from revision to revision.

Existing items each get their own random key: a column default would give them all the
same one. Existing revisions are history and stay as they were (snapshot schema 1, no keys).
"""

import uuid

from django.db import migrations, models

BATCH = 1000


def give_keys(apps, schema_editor):
    Item = apps.get_model("reports", "Item")
    pending = []
    for item in Item.objects.filter(key__isnull=True).only("pk").iterator(chunk_size=BATCH):
        item.key = uuid.uuid4()
        pending.append(item)
        if len(pending) == BATCH:
            Item.objects.bulk_update(pending, ["key"])
            pending = []
    Item.objects.bulk_update(pending, ["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0013_corrections"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="key",
            field=models.UUIDField(editable=False, null=True, verbose_name="条目标识"),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="item",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="条目标识"),
        ),
    ]
