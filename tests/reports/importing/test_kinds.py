"""Which statutory part each section is, across the templates in use since 2016."""

import pytest

from reports.importing.kinds import kind_named_by
from reports.importing.parser import parse_report_text


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("2016年度推进法治政府建设的主要举措和成效", "measures"),
        ("主要做法及成效", "measures"),
        ("存在的不足和原因", "shortcomings"),
        ("存在问题", "shortcomings"),
        ("党政主要负责人履行推进法治建设第一责任人职责情况", "leadership"),
        ("党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况", "leadership"),
        ("下一年度工作安排", "plans"),
        ("2022年度推进法治政府建设的主要安排", "plans"),
        ("下一步工作打算", "plans"),
        ("其他需要报告的情况", "other"),
        ("主要举 措和成效", "measures"),  # a wrap space does not hide the word
        ("群众工作情况", None),
    ],
)
def test_kind_named_by_heading_words(heading, kind):
    assert kind_named_by(heading) == kind


def test_an_unnamed_section_among_measures_joins_them_as_an_item_with_a_warning():
    text = (
        "某镇2020年度法治政府建设情况报告\n一、推进法治政府建设的主要举措\n（一）完善制度\n制定制度。\n"
        "二、深化“放管服”改革\n（一）精简审批\n减少事项。\n三、法治宣传的成效\n普法。\n四、存在问题\n不足。\n"
    )
    report = parse_report_text(text)

    assert [section.kind for section in report.sections] == ["measures", "shortcomings"]
    measures = report.sections[0]
    assert [item.heading for item in measures.items] == ["完善制度", "深化“放管服”改革", "法治宣传的成效"]
    assert measures.items[1].marker == "二、"
    assert [(child.heading, child.body) for child in measures.items[1].children] == [("精简审批", "减少事项。")]
    assert measures.items[2].body == "普法。"
    assert sum("已并入该部分作为一个条目" in warning for warning in report.warnings) == 2


def test_an_unnamed_section_elsewhere_is_other_with_a_warning_the_clerk_sees():
    text = "一、主要举措和成效\n加强学习。\n二、群众工作情况\n走访。\n三、存在问题\n不足。\n"
    report = parse_report_text(text)
    assert [(section.kind, section.unclassified) for section in report.sections] == [
        ("measures", False),
        ("other", True),
        ("shortcomings", False),
    ]
    assert any("无法判断“群众工作情况”属于哪一部分" in warning for warning in report.warnings)
