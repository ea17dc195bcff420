import django.db.models.deletion
import reports.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0014_item_key"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("plan_key", models.CharField(max_length=64, verbose_name="上年工作安排标识")),
                (
                    "position",
                    models.PositiveIntegerField(
                        help_text="在上年报告工作安排中的位置，从 1 起。", verbose_name="上年工作安排序号"
                    ),
                ),
                ("plan_text", reports.fields.PlainTextField(max_length=300, verbose_name="上年工作安排")),
                (
                    "status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("done", "已完成"),
                            ("in_progress", "推进中"),
                            ("not_done", "未完成"),
                            ("adjusted", "已调整"),
                        ],
                        max_length=20,
                        verbose_name="落实情况",
                    ),
                ),
                ("note", reports.fields.PlainTextField(blank=True, max_length=300, verbose_name="说明")),
                ("measure_keys", models.JSONField(blank=True, default=list, verbose_name="对应举措")),
                (
                    "plan_revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reports.revision",
                        verbose_name="上年报告公开版本",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="plan_reviews",
                        to="reports.report",
                        verbose_name="报告",
                    ),
                ),
            ],
            options={
                "verbose_name": "上年工作安排落实情况",
                "verbose_name_plural": "上年工作安排落实情况",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("report", "plan_key"), name="reports_plan_review_once_per_plan")
                ],
            },
        ),
    ]
