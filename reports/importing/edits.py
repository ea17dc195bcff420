"""The corrections a clerk makes to a parsed report in the preview, before anything is saved.

Each edit moves text from one place of the structure to another and never drops any:
a merged heading goes back into the text with its number, a split turns a paragraph into
a heading. An action arrives from the preview form as a string such as
``split-item:2:item:1:3`` (section 2, item 1, paragraph 3, counted from 0), so the page
works with plain buttons and no script; ``apply`` reads it and refuses anything else.
"""

from django.utils.translation import gettext as _

from reports.importing.kinds import OTHER
from reports.importing.parser import split_heading
from reports.importing.structure import ParsedItem, ParsedReport, ParsedSection, join_paragraphs, paragraphs
from reports.models import SectionKind


class EditError(ValueError):
    """An action that does not fit the structure (a stale page, a forged form)."""


def set_kind(report: ParsedReport, section: int, kind: str) -> None:
    if kind not in SectionKind.values:
        raise EditError(_("部分类型无效。"))
    target = _section(report, section)
    if target.kind != kind:
        target.kind, target.unclassified = kind, False


def merge_section(report: ParsedReport, section: int) -> None:
    """Make a section part of the one before it: its heading becomes a paragraph again."""
    if section < 1:
        raise EditError(_("第一部分前面没有可以合并的部分。"))
    previous, merged = _section(report, section - 1), _section(report, section)
    text = join_paragraphs([_numbered(merged.marker, merged.heading), merged.intro])
    if previous.items:
        last = previous.items[-1]
        target = last.children[-1] if last.children else last
        target.body = join_paragraphs([target.body, text])
    else:
        previous.intro = join_paragraphs([previous.intro, text])
    previous.items += merged.items
    del report.sections[section]


def merge_item(report: ParsedReport, section: int, item: int) -> None:
    """Make an item part of the one before it: its heading becomes a paragraph again."""
    items = _section(report, section).items
    if not 1 <= item < len(items):
        raise EditError(_("没有可以合并的条目。"))
    previous, merged = items[item - 1], items[item]
    text = join_paragraphs([_numbered(merged.marker, merged.heading), merged.body])
    target = previous.children[-1] if previous.children else previous
    target.body = join_paragraphs([target.body, text])
    previous.children += merged.children
    del items[item]


def split_section(report: ParsedReport, section: int, place: tuple) -> None:
    """Start a new section ("other" until the clerk names it) at a paragraph."""
    source = _section(report, section)
    heading, first_paragraph, rest = _cut(source, place)
    new = ParsedSection(kind=OTHER, heading=heading, intro=join_paragraphs([first_paragraph, *rest]), unclassified=True)
    if place[0] == "intro":
        new.items, source.items = source.items, []
    else:
        # What followed the paragraph follows the new heading: the item's sub-items, then the later items.
        item = place[1]
        new.items = [*source.items[item].children, *source.items[item + 1 :]]
        source.items[item].children = []
        del source.items[item + 1 :]
    report.sections.insert(section + 1, new)


def split_item(report: ParsedReport, section: int, place: tuple) -> None:
    """Start a new item at a paragraph of a section's intro or of an item's body."""
    source = _section(report, section)
    heading, first_paragraph, rest = _cut(source, place)
    new = ParsedItem(heading=heading, body=join_paragraphs([first_paragraph, *rest]))
    if place[0] == "intro":
        source.items.insert(0, new)
    else:
        item = place[1]
        new.children, source.items[item].children = source.items[item].children, []
        source.items.insert(item + 1, new)


def move_to_body(report: ParsedReport) -> None:
    """The preamble's last paragraph opens the first section instead."""
    parts = paragraphs(report.preamble)
    if not parts or not report.sections:
        raise EditError(_("导语中没有可以移入正文的段落。"))
    first = report.sections[0]
    first.intro = join_paragraphs([parts[-1], first.intro])
    report.preamble = join_paragraphs(parts[:-1])


def move_to_preamble(report: ParsedReport) -> None:
    """The first section's first paragraph ends the preamble instead."""
    parts = paragraphs(report.sections[0].intro) if report.sections else []
    if not parts:
        raise EditError(_("第一部分开头没有可以移入导语的段落。"))
    report.preamble = join_paragraphs([report.preamble, parts[0]])
    report.sections[0].intro = join_paragraphs(parts[1:])


def apply(report: ParsedReport, action: str) -> None:
    """Apply one action string from the preview form; raise EditError for one that does not fit."""
    name, _sep, rest = action.partition(":")
    arguments = rest.split(":") if rest else []
    try:
        if name == "to-body" and not arguments:
            move_to_body(report)
        elif name == "to-preamble" and not arguments:
            move_to_preamble(report)
        elif name == "merge-section" and len(arguments) == 1:
            merge_section(report, int(arguments[0]))
        elif name == "merge-item" and len(arguments) == 2:
            merge_item(report, int(arguments[0]), int(arguments[1]))
        elif name in ("split-section", "split-item") and len(arguments) >= 3:
            place = _place(arguments[1:])
            (split_section if name == "split-section" else split_item)(report, int(arguments[0]), place)
        else:
            raise EditError(_("无法识别的操作。"))
    except ValueError as error:
        if isinstance(error, EditError):
            raise
        raise EditError(_("无法识别的操作。")) from None


def _place(arguments: list[str]) -> tuple:
    if arguments[0] == "intro" and len(arguments) == 2:
        return ("intro", int(arguments[1]))
    if arguments[0] == "item" and len(arguments) == 3:
        return ("item", int(arguments[1]), int(arguments[2]))
    raise EditError(_("无法识别的操作。"))


def _section(report: ParsedReport, index: int) -> ParsedSection:
    if not 0 <= index < len(report.sections):
        raise EditError(_("没有这一部分，请重新导入。"))
    return report.sections[index]


def _cut(section: ParsedSection, place: tuple) -> tuple[str, str, list[str]]:
    """Take paragraph ``place`` and everything after it out of its text: (heading, run-in text, rest)."""
    if place[0] == "intro":
        parts, paragraph = paragraphs(section.intro), place[1]
    else:
        if not 0 <= place[1] < len(section.items):
            raise EditError(_("没有这一条目，请重新导入。"))
        parts, paragraph = paragraphs(section.items[place[1]].body), place[2]
    if not 0 <= paragraph < len(parts):
        raise EditError(_("没有这一段，请重新导入。"))
    kept = join_paragraphs(parts[:paragraph])
    if place[0] == "intro":
        section.intro = kept
    else:
        section.items[place[1]].body = kept
    heading, run_in = split_heading(parts[paragraph])
    return heading, run_in, parts[paragraph + 1 :]


def _numbered(marker: str, heading: str) -> str:
    return f"{marker}{heading}" if heading else marker
