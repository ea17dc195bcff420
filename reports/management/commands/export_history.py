"""Print a report's full history as JSON: ``python manage.py export_history REPORT [-o FILE]``."""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.history.timeline import export_history
from reports.models import Report

YEAR_AND_SLUG = re.compile(r"(?P<year>\d{4})/(?P<slug>[-\w]+)")


def find_report(identifier: str) -> Report:
    """A report by primary key, index number (索引号) or "year/organization-slug"."""
    reports = Report.objects.select_related("organization")
    identifier = identifier.strip()
    if identifier.isdigit():
        report = reports.filter(pk=int(identifier)).first()
    else:
        report = reports.filter(index_number=identifier).first()
        match = YEAR_AND_SLUG.fullmatch(identifier)
        if report is None and match:
            report = reports.filter(year=int(match["year"]), organization__slug=match["slug"]).first()
    if report is None:
        message = _("找不到报告“%(identifier)s”：请给出报告编号、索引号或“年度/单位网址标识”。")
        raise CommandError(message % {"identifier": identifier})
    return report


class Command(BaseCommand):
    help = gettext_lazy("以 JSON 输出一份报告的完整历史（历史版本、流程记录和哈希值），供外部审计核验。")

    def add_arguments(self, parser):
        parser.add_argument("report", help=_("报告编号、索引号，或“年度/单位网址标识”（如 2019/pandong）"))
        parser.add_argument("-o", "--output", help=_("写入此文件，而不是输出到屏幕"))

    def handle(self, *args, report, output=None, **options):
        body = json.dumps(export_history(find_report(report)), ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(body + "\n", encoding="utf-8")
        else:
            self.stdout.write(body)
