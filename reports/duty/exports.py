"""The dashboard's rows as a spreadsheet (.xlsx, through openpyxl) and as CSV: the same rows, the same columns."""

import csv
import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.duty.status import STANDING_LABELS, STATE_LABELS, DutyRow, Totals


def _time(value) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i:s") if value else ""


def _day(value) -> str:
    return date_format(timezone.localtime(value), "Y-m-d") if value else ""


def header() -> list[str]:
    return [
        _("单位"),
        _("类型"),
        _("上级单位"),
        _("状态"),
        _("下一步"),
        _("首次公开时间"),
        _("公开情况"),
        _("逾期天数"),
        _("报送上级日期"),
        _("报送情况"),
        _("原网站发布时间（不计入按时）"),
        _("报告网址"),
    ]


def line(row: DutyRow, base_url: str) -> list:
    upward = row.upward
    return [
        row.organization.name,
        row.organization.get_kind_display(),
        row.organization.parent.name if row.organization.parent else "",
        row.state_label,
        row.next_step,
        _time(row.published_at),
        row.publication.label,
        row.publication.days_late,
        _day(upward.done_at) if upward else "",
        upward.label if upward else "",
        _time(row.imported_published_at),
        base_url + row.public_url if row.public_url else "",
    ]


def summary(totals: Totals) -> list[list]:
    lines = [[_("应报告单位"), totals.owing]]
    lines += [[_("状态：%(state)s") % {"state": label}, totals.by_state[key]] for key, label in STATE_LABELS.items()]
    lines += [
        [_("公开：%(standing)s") % {"standing": label}, totals.by_standing[key]]
        for key, label in STANDING_LABELS.items()
    ]
    if totals.upward_by_standing is not None:
        lines += [
            [_("报送上级：%(standing)s") % {"standing": label}, totals.upward_by_standing[key]]
            for key, label in STANDING_LABELS.items()
        ]
    return lines


def as_csv(rows: list[DutyRow], *, base_url: str) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to read Chinese from a CSV file."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header())
    for row in rows:
        writer.writerow(line(row, base_url))
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def as_xlsx(rows: list[DutyRow], totals: Totals, *, title: str, base_url: str) -> bytes:
    """One sheet of rows and one of the totals at the top of the dashboard."""
    # Loaded on first use, not by every worker at start: public workers never need it (README, "Memory").
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("各单位情况")
    sheet.append(header())
    for row in rows:
        sheet.append(line(row, base_url))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKL", (24, 8, 14, 8, 20, 20, 22, 9, 13, 22, 20, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    totals_sheet = book.create_sheet(_("汇总"))
    totals_sheet.append([title])
    for entry in summary(totals):
        totals_sheet.append(entry)
    totals_sheet.column_dimensions["A"].width = 30
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
