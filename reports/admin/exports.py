"""The report list as a spreadsheet: .xlsx or CSV, of the selected reports or of the whole filtered list.

One row per report with what a unit's superiors ask for: unit, year, the working copy's
state, the public version and its dates, missing statutory parts and the view count.
The whole list comes from the list's own filters and search (``export/<format>/?<the
list's query>``), the selected rows from an admin action; both read only what the user
may see, through the admin's queryset.
"""

import csv
import io
from datetime import date, datetime

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.admin.versions import versions_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


def columns() -> list[tuple[str, object]]:
    """(heading, value of a report) for each column, in order."""
    return [
        (_("索引号"), lambda report: report.index_number),
        (_("标题"), lambda report: str(report)),
        (_("发布机构"), lambda report: report.organization.name),
        (_("报告年度"), lambda report: report.year),
        (_("工作稿状态"), lambda report: report.get_state_display()),
        (_("工作稿版本"), lambda report: report.working_number),
        (_("公开版本"), lambda report: versions_of(report).public_number),
        (_("公开起始时间"), lambda report: versions_of(report).public_since),
        (_("定时发布时间"), lambda report: versions_of(report).scheduled_at),
        (_("首次发布时间"), lambda report: report.first_published_at),
        (_("成文日期"), lambda report: report.signing_date),
        (_("缺少的必备部分"), lambda report: "、".join(str(kind.label) for kind in report.missing_section_kinds())),
        (_("浏览次数"), lambda report: report.view_count),
        (_("最后修改"), lambda report: report.updated_at),
    ]


def _cell(value):
    """A value as a spreadsheet shows it: times in Beijing time without a zone, empty for none."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def rows(reports) -> list[list]:
    spec = columns()
    return [[heading for heading, _value in spec]] + [
        [_cell(value(report)) for _heading, value in spec] for report in reports
    ]


def as_csv(table: list[list]) -> bytes:
    # A byte-order mark, or Excel reads UTF-8 as the local code page and garbles the Chinese.
    stream = io.StringIO()
    writer = csv.writer(stream)
    for row in table:
        writer.writerow([value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value for value in row])
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def as_xlsx(table: list[list]) -> bytes:
    # Loaded on first use, not by every worker at start: public workers never need it (README, "Memory").
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _("报告")
    for row in table:
        sheet.append(row)
    for index, heading in enumerate(table[0], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(heading)) * 2 + 4)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def export_response(reports, file_format: str) -> HttpResponse:
    table = rows(reports)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(as_xlsx(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="reports-{stamp}.{file_format}"'
    return response


class ExportAdminMixin:
    """Adds 导出 to the report list: links for the filtered list and actions (``export_*``) for the selected rows."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "export/<slug:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
        ]
        return urls + super().get_urls()

    def export_view(self, request, file_format: str):
        """The whole list as filtered and searched on the page (its query string), in ``file_format``."""
        if file_format not in FORMATS:
            raise Http404
        changelist = self.get_changelist_instance(request)
        return export_response(changelist.queryset, file_format)

    @admin.action(description=gettext_lazy("导出所选报告（Excel）"))
    def export_xlsx(self, request, queryset):
        return export_response(queryset, "xlsx")

    @admin.action(description=gettext_lazy("导出所选报告（CSV）"))
    def export_csv(self, request, queryset):
        return export_response(queryset, "csv")
