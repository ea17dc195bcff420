"""Organization.updated_at, and trigram indexes for search on PostgreSQL.

Search is a Chinese substring match (``icontains``), which Django writes as
``UPPER(column::text) LIKE UPPER(%s)`` on PostgreSQL; GIN indexes over that very
expression with pg_trgm's operator class let the planner answer it from the index.
Other databases have no such index: there the operation does nothing.
"""

import django.utils.timezone
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "reports_revision_search_text_trgm": "search_text",
    "reports_revision_title_trgm": "title",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "reports_revision" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="最后修改"),
            preserve_default=False,
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
