"""Which statutory part of an annual report each top-level section is.

The parts come from the templates in use since 2016 (主要举措和成效, 存在的不足和原因,
党政主要负责人履行推进法治建设第一责任人职责情况, 下一年度工作安排, 其他), in either order:
since 2021 many reports put the leaders' duties first. Headings are matched in their
folded form, so wrap spaces and full-width punctuation do not hide a word.

A report holds one section of each kind (other excepted). A section whose heading names
no part but that sits between measures sections is one more area of work: it joins the
measures section as an item, and so does a later measures heading in the same run.
Anything else unnamed, or a second section of a kind already seen, becomes "other".
Each such decision is a warning the clerk sees in the preview.
"""

from django.utils.translation import gettext as _

from reports.importing.normalize import folded
from reports.importing.structure import ParsedItem, ParsedReport, ParsedSection, join_paragraphs

MEASURES = "measures"
OTHER = "other"

# Checked in this order, so the most specific part wins when a heading names two.
KIND_WORDS = [
    ("leadership", ("第一责任人", "主要负责人", "负责人")),
    ("plans", ("下一年度", "下一步", "下年度", "工作安排", "主要安排", "计划", "打算", "工作思路", "工作设想")),
    ("shortcomings", ("不足", "问题", "短板", "差距")),
    (MEASURES, ("举措", "成效", "主要做法", "主要工作")),
    (OTHER, ("其他", "其它")),
]


def kind_named_by(heading: str) -> str | None:
    """The statutory part a heading names, or None."""
    words = folded(heading).replace(" ", "")
    return next((kind for kind, names in KIND_WORDS if any(name in words for name in names)), None)


def settle_kinds(report: ParsedReport) -> None:
    """Give every section of ``report`` its kind, folding extra measures sections into the first."""
    named = [kind_named_by(section.heading) for section in report.sections]
    settled: list[ParsedSection] = []
    taken: set[str] = set()
    measures: ParsedSection | None = None
    for position, (section, kind) in enumerate(zip(report.sections, named, strict=True)):
        in_measures_run = measures is not None and settled[-1] is measures
        if in_measures_run and (kind == MEASURES or (kind is None and _next_named(named, position) == MEASURES)):
            _fold_into(measures, section)
            report.warnings.append(
                _("“%(heading)s”位于“主要举措和成效”各部分之间，已并入该部分作为一个条目，请核对。")
                % {"heading": section.heading}
            )
            continue
        if kind is None:
            report.warnings.append(
                _("无法判断“%(heading)s”属于哪一部分，已归为“其他”，请在预览中核对。") % {"heading": section.heading}
            )
            section.kind, section.unclassified = OTHER, True
        elif kind in taken:
            report.warnings.append(
                _("“%(heading)s”与前面的部分类型相同，已归为“其他”。") % {"heading": section.heading}
            )
            section.kind, section.unclassified = OTHER, True
        else:
            section.kind, section.unclassified = kind, False
        if section.kind != OTHER:
            taken.add(section.kind)
        if section.kind == MEASURES:
            measures = section
        settled.append(section)
    report.sections = settled


def _next_named(named: list[str | None], position: int) -> str | None:
    return next((kind for kind in named[position + 1 :] if kind is not None), None)


def _fold_into(measures: ParsedSection, section: ParsedSection) -> None:
    """Make ``section`` one item of ``measures``: its items become children, theirs text."""
    children = []
    for item in section.items:
        grandchildren = [join_paragraphs([f"{child.marker}{child.heading}", child.body]) for child in item.children]
        children.append(
            ParsedItem(heading=item.heading, marker=item.marker, body=join_paragraphs([item.body, *grandchildren]))
        )
    measures.items.append(
        ParsedItem(heading=section.heading, marker=section.marker, body=section.intro, children=children)
    )
