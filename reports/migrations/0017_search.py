"""The search index (texts and gram postings of published revisions), pinyin words, synonyms, the search log.

The trigram indexes of migration 0003 served ``icontains`` over whole revisions on PostgreSQL;
search now reads its own index, so they are dropped (and made again if this is reversed).
Published revisions already in the database are indexed after ``migrate`` by the app's
post_migrate handler, with the code that indexes every publication. On PostgreSQL the
postings' packed entries are kept inline (storage MAIN).
"""

import django.db.models.deletion
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "reports_revision_search_text_trgm": "search_text",
    "reports_revision_title_trgm": "title",
}


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def keep_postings_inline(apps, schema_editor):
    # A gram's rows are read whole on every search: kept in the table's own pages (compressed
    # when that pays), not moved out to TOAST, they cost no lookups and no decompression there.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "reports_searchposting" ALTER COLUMN "entries" SET STORAGE MAIN')


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "reports_revision" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0016_notification'),
    ]

    operations = [
        migrations.RunPython(drop_trigram_indexes, create_trigram_indexes, elidable=False),
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(max_length=30, unique=True)),
                ('pinyin', models.CharField(max_length=200)),
                ('spelled', models.CharField(db_index=True, max_length=200)),
                ('initials', models.CharField(db_index=True, max_length=30)),
            ],
            options={
                'verbose_name': '检索词汇',
                'verbose_name_plural': '检索词汇',
            },
        ),
        migrations.CreateModel(
            name='SynonymGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('terms', models.TextField(help_text='两个或更多意思相同的词，用逗号、顿号或换行分隔，如“复议，行政复议”。搜索其中任何一个词时，会同时查找其他词。', verbose_name='同义词')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最后修改')),
            ],
            options={
                'verbose_name': '同义词',
                'verbose_name_plural': '同义词',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='SearchLogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='日期')),
                ('phrase', models.CharField(max_length=50, verbose_name='搜索词')),
                ('results', models.PositiveIntegerField(verbose_name='结果数')),
                ('searches', models.PositiveIntegerField(default=0, verbose_name='搜索次数')),
            ],
            options={
                'verbose_name': '搜索记录',
                'verbose_name_plural': '搜索记录',
                'ordering': ['-day', '-searches', 'phrase'],
                'constraints': [models.UniqueConstraint(fields=('day', 'phrase'), name='reports_searchlog_once_a_day')],
            },
        ),
        migrations.CreateModel(
            name='SearchPosting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gram', models.CharField(max_length=3)),
                ('block', models.PositiveIntegerField()),
                ('entries', models.BinaryField()),
            ],
            options={
                'verbose_name': '检索倒排项',
                'verbose_name_plural': '检索倒排项',
                'constraints': [models.UniqueConstraint(fields=('gram', 'block'), name='reports_searchposting_once')],
            },
        ),
        migrations.CreateModel(
            name='SearchText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.PositiveSmallIntegerField()),
                ('text', models.TextField()),
                ('folded', models.TextField(blank=True)),
                ('revision', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reports.revision')),
            ],
            options={
                'verbose_name': '检索文本',
                'verbose_name_plural': '检索文本',
                'constraints': [models.UniqueConstraint(fields=('revision', 'code'), name='reports_searchtext_once')],
            },
        ),
        migrations.RunPython(keep_postings_inline, migrations.RunPython.noop, elidable=False),
    ]
