"""Import a report from a .txt, .docx or PDF file as a new draft: ``import_report PATH --org SLUG``.

``--dry-run`` stores nothing and prints the parsed structure as JSON, the form the admin
preview shows. ``--legacy-published-at`` says the report was published on an old site and
keeps the publish time found in the text; without it that time is only a warning.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.importing.writer import (
    ReportImportError,
    duplicated_kinds,
    import_source,
    publication_warnings,
    read_file,
    year_in_title,
)
from reports.models import Organization


class Command(BaseCommand):
    help = "把 .txt、.docx 或 PDF 格式的报告导入为新的草稿，并列出舍弃的网页内容和需要核对的地方。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="报告文件（.txt、.docx 或 .pdf）")
        parser.add_argument("--org", help="发布机构的网址标识，如 pandong（--dry-run 时可不填）")
        parser.add_argument("--year", type=int, help="报告年度；不填则取标题中的年度")
        parser.add_argument("--user", help="以该用户的身份导入（须有该单位的起草权限）；不填则记为系统导入")
        parser.add_argument(
            "--legacy-published-at",
            action="store_true",
            help="这是从旧网站迁移的已发布报告：保留原文中的发布时间作为原网站发布时间",
        )
        parser.add_argument("--dry-run", action="store_true", help="不保存，只以 JSON 打印识别出的结构")

    def handle(self, *args, path: str, org: str | None, year: int | None, user: str | None, **options):
        legacy, dry_run = options["legacy_published_at"], options["dry_run"]
        organization = None
        if org or not dry_run:
            if not org:
                raise CommandError(_("请用 --org 指定发布机构。"))
            organization = Organization.objects.filter(slug=org).first()
            if organization is None:
                raise CommandError(_("没有网址标识为“%(slug)s”的单位。") % {"slug": org})
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("没有用户名为“%(username)s”的有效用户。") % {"username": user})
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": error.strerror}
            ) from None
        try:
            source = read_file(name=file.name, data=data)
            if dry_run:
                self._print_structure(source, year=year, legacy=legacy)
                return
            result = import_source(organization=organization, source=source, user=actor, year=year, legacy=legacy)
        except ReportImportError as error:
            raise CommandError(error.message) from None

        report = result.report
        self.stdout.write(
            _("已导入为草稿：%(title)s（%(sections)d 个部分，索引号 %(index)s）")
            % {"title": report, "sections": report.sections.count(), "index": report.index_number}
        )
        if result.discarded_lines:
            self.stdout.write(_("舍弃的网页内容（%(count)d 行）：") % {"count": len(result.discarded_lines)})
            for line in result.discarded_lines:
                self.stdout.write(f"  - {line}")
        if result.warnings:
            self.stdout.write(_("请核对（%(count)d 处）：") % {"count": len(result.warnings)})
            for warning in result.warnings:
                self.stdout.write(f"  - {warning}")

    def _print_structure(self, source, *, year: int | None, legacy: bool) -> None:
        parsed = source.parsed
        structure = parsed.as_dict()
        structure["warnings"] = parsed.warnings + publication_warnings(parsed, legacy=legacy)
        if duplicated := duplicated_kinds(parsed):
            structure["warnings"].append(_("“%(kinds)s”出现了不止一次。") % {"kinds": "”“".join(duplicated)})
        document = {
            "file": {"name": source.name, "sha256": source.sha256},
            "year": year or year_in_title(parsed.title),
            "legacy_published_at": legacy,
            **structure,
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
