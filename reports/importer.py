"""Turn a report read by ``importer_parser`` into a new draft, recorded as revision 1.

The parser is pure text work; this module writes the working copy (report, sections,
items) and hands it to ``services.record_creation``, all in one transaction, so a
refused import leaves nothing behind. The caller gets the report together with the
lines the parser discarded as page chrome and its warnings, to show to the clerk.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from reports import services
from reports.importer_parser import ParsedItem, ParsedReport, ReportTextError, parse_report_text, read_upload
from reports.models import Item, Organization, Report, Section
from reports.roles import can_draft_for
from reports.sanitize import plain_text, remove_unsafe_characters, text_to_html

# Old sites print their local time; the parser returns it naive.

_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


class ReportImportError(Exception):
    """The import was refused and nothing was created; the message is for the clerk."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ImportResult:
    report: Report
    discarded_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_upload(*, organization: Organization, name: str, data: bytes, user, year: int | None = None) -> ImportResult:
    """Import an uploaded .txt or .docx file; the file name is recorded as the source."""
    try:
        text = read_upload(name, data)
    except ReportTextError as error:
        raise ReportImportError(str(error)) from None
    return import_text(organization=organization, text=text, user=user, source_name=name, year=year)


def import_text(
    *, organization: Organization, text: str, user, source_name: str, year: int | None = None
) -> ImportResult:
    """Import pasted or uploaded text; see ``import_report``."""
    try:
        parsed = parse_report_text(text)
    except ReportTextError as error:
        raise ReportImportError(str(error)) from None
    return import_report(organization=organization, parsed=parsed, user=user, source_name=source_name, year=year)


def import_report(
    *, organization: Organization, parsed: ParsedReport, user, source_name: str, year: int | None = None
) -> ImportResult:
    """Create a draft report from ``parsed`` for ``organization``.

    ``year`` defaults to the year named in the title. ``user`` None is the server's
    operator on the command line. Raises ReportImportError, having created nothing.
    """
    if user is not None and not can_draft_for(user, organization):
        raise ReportImportError(_("您无权为该单位起草报告。"))
    warnings = list(parsed.warnings)
    title_year = year_in_title(parsed.title)
    if year is None:
        year = title_year
        if year is None:
            raise ReportImportError(_("无法从标题中识别报告年度，请指定年度。"))
    elif title_year is not None and title_year != year:
        warnings.append(
            _("标题中的年度（%(title_year)s）与所选年度（%(year)s）不同，请核对。")
            % {"title_year": title_year, "year": year}
        )
    try:
        with transaction.atomic():
            report = _new_report(organization, year, parsed)
            services.create_report(
                report=report,
                user=user,
                write_content=lambda report: _write_content(report, parsed, warnings),
                imported_from=plain_text(source_name) or _("粘贴的文本"),
            )
    except ValidationError as error:
        raise ReportImportError(" ".join(error.messages)) from None
    except services.WorkflowError as error:
        raise ReportImportError(error.message) from None
    except IntegrityError:
        # Another import or form created the same organization's year in the meantime.
        raise ReportImportError(_("该单位这一年度的报告已经存在，每个单位每年只能有一份报告。")) from None
    return ImportResult(report=report, discarded_lines=list(parsed.discarded_lines), warnings=warnings)


def year_in_title(title: str) -> int | None:
    """The report year a title names: 2019 in “磐东街道2019年度法治政府建设情况报告”."""
    match = _TITLE_YEAR.search(title or "")
    return int(match[1]) if match else None


def _new_report(organization, year: int, parsed: ParsedReport) -> Report:
    report = Report(
        organization=organization,
        year=year,
        title=_line(parsed.title),
        preamble=text_to_html(parsed.preamble),
        signing_date=parsed.signing_date,
        signatories="\n".join(_line(name) for name in parsed.signatories),
    )
    if parsed.source:
        report.source = _line(parsed.source)
    return report


def _write_content(report: Report, parsed: ParsedReport, warnings: list[str]) -> None:
    items: list[tuple[Item, ParsedItem]] = []
    for order, parsed_section in enumerate(parsed.sections, start=1):
        heading, intro = _fit(parsed_section.heading, parsed_section.intro, Section, warnings)
        section = Section.objects.create(
            report=report, kind=parsed_section.kind, heading=heading, intro=text_to_html(intro), order=order
        )
        items += [
            (_item(section, None, parsed_item, item_order, warnings), parsed_item)
            for item_order, parsed_item in enumerate(parsed_section.items, start=1)
        ]
    # Two inserts instead of one per item: a long report has hundreds.
    Item.objects.bulk_create(item for item, _parsed in items)
    Item.objects.bulk_create(
        _item(parent.section, parent, parsed_child, child_order, warnings)
        for parent, parsed_item in items
        for child_order, parsed_child in enumerate(parsed_item.children, start=1)
    )


def _item(section: Section, parent: Item | None, parsed: ParsedItem, order: int, warnings) -> Item:
    heading, body = _fit(parsed.heading, parsed.body, Item, warnings)
    return Item(section=section, parent=parent, heading=heading, body=text_to_html(body), order=order)


def _line(text: str) -> str:
    """A line of pasted text as the one-line plain text titles and headings hold (see ``plain_text``)."""
    if "<" in text or "&" in text:
        return plain_text(text)
    # Without markup or entities, parsing as HTML would only collapse whitespace: skip it.
    return " ".join(remove_unsafe_characters(text).split())


def _fit(heading: str, text: str, model, warnings: list[str]) -> tuple[str, str]:
    """Keep a heading too long for its field as the first paragraph of the text below it."""
    heading = _line(heading)
    limit = model._meta.get_field("heading").max_length
    if len(heading) <= limit:
        return heading, text
    warnings.append(
        _("标题“%(heading)s…”超过 %(limit)s 字，已改为正文的第一段，请补写标题。")
        % {"heading": heading[:20], "limit": limit}
    )
    return "", f"{heading}\n{text}" if text else heading
