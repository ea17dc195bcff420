"""Import a report from a .txt or .docx file as a new draft: ``import_report PATH --org SLUG``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.importer import ReportImportError, import_upload
from reports.models import Organization


class Command(BaseCommand):
    help = "把 .txt 或 .docx 格式的报告导入为新的草稿，并列出舍弃的网页内容和需要核对的地方。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="报告文件（.txt 或 .docx）")
        parser.add_argument("--org", required=True, help="发布机构的网址标识，如 pandong")
        parser.add_argument("--year", type=int, help="报告年度；不填则取标题中的年度")
        parser.add_argument("--user", help="以该用户的身份导入（须有该单位的起草权限）；不填则记为系统导入")

    def handle(self, *args, path: str, org: str, year: int | None, user: str | None, **options):
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
            result = import_upload(organization=organization, name=file.name, data=data, user=actor, year=year)
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
