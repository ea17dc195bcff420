"""Turn a report read by the parser into a new draft, recorded as revision 1.

The parser is pure text work; this module writes the working copy (report, sections,
items) through ``services.create_report``, all in one transaction, so a
refused import leaves nothing behind. The caller gets the report together with the
lines the parser discarded as page chrome and its warnings, to show to the clerk.

A publish time found in the text (``发布时间：…`` of an old article page) becomes the
report's ``imported_published_at`` only when whoever imports says this is a legacy
report brought over from an old site; otherwise it is only a warning, never a record.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import services
from reports.importing.kinds import OTHER
from reports.importing.parser import parse_report_text
from reports.importing.sources import read_upload
from reports.importing.structure import ParsedItem, ParsedReport, ReportTextError
from reports.models import Item, Organization, Report, Section, SectionKind
from reports.roles import can_draft_for
from reports.sanitize import plain_text, remove_unsafe_characters, text_to_html

# Old sites print their local time; the parser returns it naive.
SITE_TIME_ZONE = ZoneInfo("Asia/Shanghai")

_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SOURCE_NAME_MAX_LENGTH = 200  # the event comment (500 characters) also holds the hash and the time


class ReportImportError(Exception):
    """The import was refused and nothing was created; the message is for the clerk."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ImportSource:
    """A document read and parsed, not yet stored: what the preview shows and the save writes."""

    name: str
    sha256: str
    parsed: ParsedReport


@dataclass
class ImportResult:
    report: Report
    discarded_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_file(*, name: str, data: bytes) -> ImportSource:
    """Parse an uploaded .txt, .docx or PDF file; raise ReportImportError when it cannot be read."""
    try:
        source = read_upload(name, data)
        parsed = parse_report_text(source.text)
    except ReportTextError as error:
        raise ReportImportError(str(error)) from None
    parsed.warnings[:0] = source.warnings
    return ImportSource(name=_source_name(name), sha256=hashlib.sha256(data).hexdigest(), parsed=parsed)


def read_text(*, text: str, source_name: str = "") -> ImportSource:
    """Parse pasted text; its SHA-256 is that of the text in UTF-8."""
    try:
        parsed = parse_report_text(text)
    except ReportTextError as error:
        raise ReportImportError(str(error)) from None
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return ImportSource(name=_source_name(source_name) or _("粘贴的文本"), sha256=digest, parsed=parsed)


def import_upload(
    *, organization: Organization, name: str, data: bytes, user, year: int | None = None, legacy: bool = False
) -> ImportResult:
    """Import an uploaded .txt, .docx or PDF file; the file name and its SHA-256 are recorded."""
    source = read_file(name=name, data=data)
    return import_source(organization=organization, source=source, user=user, year=year, legacy=legacy)


def import_text(
    *,
    organization: Organization,
    text: str,
    user,
    source_name: str,
    year: int | None = None,
    legacy: bool = False,
    record_hash: bool = True,
) -> ImportResult:
    """Import pasted text; ``record_hash`` False names only the source (a web page, not a file)."""
    source = read_text(text=text, source_name=source_name)
    if not record_hash:
        source.sha256 = ""
    return import_source(organization=organization, source=source, user=user, year=year, legacy=legacy)


def publication_warnings(parsed: ParsedReport, *, legacy: bool) -> list[str]:
    """What the clerk must know about the publish time found in the text, if any."""
    if parsed.published_at and not legacy:
        return [
            _("原文中的发布时间 %(time)s 不作为本网发布时间；如这是从旧网站迁移的已发布报告，请勾选“从旧网站迁移”。")
            % {"time": parsed.published_at.strftime("%Y-%m-%d %H:%M")}
        ]
    if legacy and not parsed.published_at:
        return [_("勾选了“从旧网站迁移”，但原文中没有找到原网站的发布时间，发布时将使用实际发布时间。")]
    return []


def duplicated_kinds(parsed: ParsedReport) -> list[str]:
    """The statutory parts that more than one section claims (a report has one of each)."""
    counts = Counter(section.kind for section in parsed.sections if section.kind != OTHER)
    return [str(SectionKind(kind).label) for kind, count in counts.items() if count > 1]


def import_source(
    *, organization: Organization, source: ImportSource, user, year: int | None = None, legacy: bool = False
) -> ImportResult:
    """Create a draft report from a parsed source for ``organization``.

    ``year`` defaults to the year named in the title. ``user`` None is the server's
    operator on the command line. ``legacy`` keeps the publish time the old site showed.
    Raises ReportImportError, having created nothing.
    """
    parsed = source.parsed
    if user is not None and not can_draft_for(user, organization):
        raise ReportImportError(_("您无权为该单位起草报告。"))
    if duplicated := duplicated_kinds(parsed):
        raise ReportImportError(
            _("“%(kinds)s”出现了不止一次：每份报告每一部分只能有一个，请合并这些部分或把其中一个改为“其他”。")
            % {"kinds": "”“".join(duplicated)}
        )
    if parsed.sections and any(section.kind not in SectionKind.values for section in parsed.sections):
        raise ReportImportError(_("部分类型无效，请重新导入。"))
    warnings = list(parsed.warnings) + publication_warnings(parsed, legacy=legacy)
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
            report = _new_report(organization, year, parsed, legacy=legacy)
            services.create_report(
                report=report,
                user=user,
                write_content=lambda report: _write_content(report, parsed, warnings),
                imported_from=source.name or _("粘贴的文本"),
                source_sha256=source.sha256,
            )
    except ValidationError as error:
        raise ReportImportError(" ".join(error.messages)) from None
    except services.WorkflowError as error:
        raise ReportImportError(error.message) from None
    except IntegrityError:
        # Another import or form created the same organization's year in the meantime.
        raise ReportImportError(_("该单位这一年度的报告已经存在，每个单位每年只能有一份报告。")) from None
    return ImportResult(report=report, discarded_lines=list(parsed.discarded_lines), warnings=warnings)


def _source_name(name: str) -> str:
    return plain_text(name)[:_SOURCE_NAME_MAX_LENGTH]


def year_in_title(title: str) -> int | None:
    """The report year a title names: 2019 in “磐东街道2019年度法治政府建设情况报告”."""
    match = _TITLE_YEAR.search(title or "")
    return int(match[1]) if match else None


def _new_report(organization, year: int, parsed: ParsedReport, *, legacy: bool) -> Report:
    report = Report(
        organization=organization,
        year=year,
        title=_line(parsed.title),
        preamble=text_to_html(parsed.preamble),
        signing_date=parsed.signing_date,
        signatories="\n".join(_line(name) for name in parsed.signatories),
        imported_published_at=_aware(parsed.published_at) if legacy else None,
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


def _aware(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, SITE_TIME_ZONE)
