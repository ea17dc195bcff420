"""Indexes for the public pages' hot queries, and room on PostgreSQL for view-count updates.

Every article view updates its report's row. PostgreSQL writes a new row version each
time; with free space on the page (fillfactor 70) it can place it there without touching
any index (a HOT update) and prune the old ones as it goes. Other databases: nothing to do.
"""

from django.conf import settings
from django.db import migrations, models


def leave_room_for_view_counts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "reports_report" SET (fillfactor = 70)')


def fill_pages_again(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "reports_report" RESET (fillfactor)')


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_search_trigram_and_organization_updated_at"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["updated_at"], name="reports_report_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="workflowevent",
            index=models.Index(fields=["action", "effective_at"], name="reports_event_in_effect_idx"),
        ),
        migrations.AddIndex(
            model_name="workflowevent",
            index=models.Index(fields=["report", "created_at", "id"], name="reports_event_latest_idx"),
        ),
        migrations.RunPython(leave_room_for_view_counts, fill_pages_again, elidable=False),
    ]
