"""The clerk's corrections in the preview: each moves text and never loses any."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.importing import edits
from reports.importing.parser import parse_report_text

TEXT = """\
某镇2020年度法治政府建设情况报告
2020年，全镇推进法治政府建设。
现将有关情况报告如下：
一、主要举措和成效
全年工作扎实。
（一）完善制度
制定制度5项。
加强培训。组织培训3次。
（二）加强监督
聘请法律顾问。
二、群众工作
走访群众。
三、存在的问题
学习不够。
某镇人民政府
2021年1月5日
"""

_NUMBER = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]")


def reading_order(report) -> str:
    parts = [report.preamble]
    for section in report.sections:
        parts += [section.marker, section.heading, section.intro]
        for item in section.items:
            parts += [item.marker, item.heading, item.body]
            for child in item.children:
                parts += [child.marker, child.heading, child.body]
    return _NUMBER.sub("", re.sub(r"[\s。]", "", "".join(parts)))


def test_set_kind_names_the_part():
    report = parse_report_text(TEXT)
    edits.set_kind(report, 1, "measures")
    assert (report.sections[1].kind, report.sections[1].unclassified) == ("measures", False)
    with pytest.raises(edits.EditError):
        edits.set_kind(report, 1, "nonsense")


def test_merging_a_section_gives_its_heading_back_to_the_text_with_its_number():
    report = parse_report_text(TEXT)
    edits.apply(report, "merge-section:1")
    assert [section.heading for section in report.sections] == ["主要举措和成效", "存在的问题"]
    assert report.sections[0].items[-1].body == "聘请法律顾问。\n二、群众工作\n走访群众。"


def test_merging_an_item_gives_its_heading_back_to_the_text():
    report = parse_report_text(TEXT)
    edits.apply(report, "merge-item:0:1")
    assert report.sections[0].items[0].body.endswith("（二）加强监督\n聘请法律顾问。")


def test_splitting_at_a_paragraph_makes_it_a_heading():
    report = parse_report_text(TEXT)
    edits.apply(report, "split-item:0:item:0:1")
    assert [(item.heading, item.body) for item in report.sections[0].items] == [
        ("完善制度", "制定制度5项。"),
        ("加强培训", "组织培训3次。"),
        ("加强监督", "聘请法律顾问。"),
    ]


def test_splitting_a_new_section_takes_the_items_after_it_along():
    report = parse_report_text(TEXT)
    edits.apply(report, "split-section:0:item:0:1")
    new = report.sections[1]
    assert (new.kind, new.heading, new.intro) == ("other", "加强培训", "组织培训3次。")
    assert [item.heading for item in new.items] == ["加强监督"]


def test_moving_a_paragraph_between_preamble_and_body():
    report = parse_report_text(TEXT)
    edits.apply(report, "to-body")
    assert report.preamble == "2020年，全镇推进法治政府建设。"
    assert report.sections[0].intro == "现将有关情况报告如下：\n全年工作扎实。"
    edits.apply(report, "to-preamble")
    edits.apply(report, "to-preamble")
    assert report.preamble.endswith("全年工作扎实。")
    with pytest.raises(edits.EditError):
        edits.apply(report, "to-preamble")


@pytest.mark.parametrize(
    "action",
    ["merge-section:0", "merge-section:9", "merge-item:0:0", "split-item:0:intro:7", "explode", "split-item:a:b:c"],
)
def test_an_action_that_does_not_fit_is_refused(action):
    report = parse_report_text(TEXT)
    with pytest.raises(edits.EditError):
        edits.apply(report, action)


ACTIONS = st.sampled_from(
    ["to-body", "to-preamble", "merge-section:1", "merge-section:2", "merge-item:0:1", "split-item:0:intro:0",
     "split-item:0:item:0:1", "split-section:0:item:0:0", "split-section:1:intro:0", "merge-item:1:1"]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(ACTIONS, max_size=8))
def test_no_sequence_of_edits_loses_text(actions):
    """Every character stays (a move puts a paragraph on the other side of a heading, so order may not)."""
    report = parse_report_text(TEXT)
    before = sorted(reading_order(report))
    for action in actions:
        try:
            edits.apply(report, action)
        except edits.EditError:
            continue
    assert sorted(reading_order(report)) == before
