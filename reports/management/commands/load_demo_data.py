"""Load the demo organizations, the published 2019 report of 磐东街道 and the linked 2022-2023 reports of
示范街道 (上年工作安排落实情况), then the duty demo, once.

Unlike ``loaddata``, which overwrites rows with the same primary key, this command
leaves rows that are already there alone, so running it again neither fails, nor
duplicates, nor undoes what someone changed in the demo since. A fixture row whose
primary key is held by something else is refused rather than overwritten.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from reports.duty.demo import load_duty_demo
from reports.models import (
    Item,
    Organization,
    PlanReview,
    PublicEdition,
    Report,
    Revision,
    RevisionTag,
    Section,
    WorkflowEvent,
)
from reports.search.indexing import index_missing

FIXTURES = ["0001_organizations.json", "0002_pandong_2019.json", "0004_followthrough.json"]

# The fields that make a row "the same one" when its primary key is already taken.
IDENTITY = {
    Organization: ("slug",),
    Report: ("organization_id", "year"),
    Section: ("report_id", "kind"),
    Item: ("section_id",),
    Revision: ("report_id", "number"),
    RevisionTag: ("revision_id", "name"),
    WorkflowEvent: ("report_id", "sequence"),
    PlanReview: ("report_id", "plan_key"),
}


class Command(BaseCommand):
    help = "载入演示数据：揭东区、磐东街道及其 2019 年度报告、示范街道及其前后衔接的两年报告（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭（生产）时也载入。")

    def handle(self, *args, force: bool, **options):
        if not settings.DEMO_MODE and not force:
            raise CommandError(_("DEBUG 已关闭（生产环境），拒绝载入演示数据；确需载入请加 --force。"))
        for name in FIXTURES:
            added, kept = load_fixture(settings.BASE_DIR / "fixtures" / name)
            self.stdout.write(
                _("%(name)s：新增 %(added)d 条，已存在 %(kept)d 条。") % {"name": name, "added": added, "kept": kept}
            )
        units, reports = load_duty_demo()
        self.stdout.write(
            _("年度报告义务演示：新增 %(units)d 个单位、%(reports)d 份报告。") % {"units": units, "reports": reports}
        )
        # The demo reports arrived published without the publish service, which indexes for search.
        index_missing()


@transaction.atomic
def load_fixture(path) -> tuple[int, int]:
    """Insert the fixture's rows that are missing; return (added, already there)."""
    identity = {**IDENTITY, get_user_model(): (get_user_model().USERNAME_FIELD,)}
    added = kept = 0
    models = set()
    with open(path, encoding="utf-8") as stream:
        for deserialized in serializers.deserialize("json", stream):
            row = deserialized.object
            model = type(row)
            fields = identity[model]
            existing = model._default_manager.filter(pk=row.pk).values(*fields).first()
            if existing is not None:
                if existing != {name: getattr(row, name) for name in fields}:
                    raise CommandError(
                        _("演示数据中编号为 %(pk)s 的%(model)s已被其他数据占用，请在新的数据库中载入演示数据。")
                        % {"pk": row.pk, "model": model._meta.verbose_name}
                    )
                kept += 1
                continue
            try:
                with transaction.atomic():
                    deserialized.save()
            except IntegrityError:
                raise CommandError(
                    _("演示数据中的%(model)s“%(row)s”与已有数据冲突（名称、网址标识或代码重复），无法载入。")
                    % {"model": model._meta.verbose_name, "row": row}
                ) from None
            models.add(model)
            added += 1
    if added:
        # Published reports arrived without the publish service: public pages must see a new edition.
        PublicEdition.advance()
    # Rows saved with explicit keys do not advance PostgreSQL's sequences; loaddata does this too.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)
    return added, kept
