"""Word files whose headings use Word's automatic numbering (numbering.xml), not typed numbers."""

import re
from pathlib import Path

import docx
import pytest

from reports.importing.parser import parse_report_text
from reports.importing.sources import read_upload
from reports.importing.word import docx_text
from tests.reports.importing.documents import docx_bytes, number_heading_style, numbered_docx

SEED = Path(__file__).resolve().parents[2] / "data" / "pandong_2019.txt"
_TYPED_NUMBER = re.compile(r"^(?:([一二三四五六七八九十]+)、|[（(]([一二三四五六七八九十]+)[)）])")


def without_markers(report) -> dict:
    """The structure with the numbers as written left out: Word writes （一） where the seed typed (一)."""

    def clean(node):
        if isinstance(node, dict):
            return {key: clean(value) for key, value in node.items() if key != "marker"}
        if isinstance(node, list):
            return [clean(value) for value in node]
        return node

    return clean(report.as_dict())


def seed_as_numbered_paragraphs() -> list[tuple[int | None, str]]:
    paragraphs = []
    for line in (line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()):
        if not line:
            continue
        match = _TYPED_NUMBER.match(line)
        level = None if match is None else (0 if match[1] else 1)
        paragraphs.append((level, line[match.end() :] if match else line))
    return paragraphs


def test_automatic_numbering_gives_the_structure_typed_numbers_give():
    data = docx_bytes(numbered_docx(seed_as_numbered_paragraphs()))

    text = read_upload("报告.docx", data).text

    assert "一、主要举措和成效" in text.splitlines()
    assert "（五）化解矛盾纠纷,确保辖区和谐稳定" in text.splitlines()
    assert without_markers(parse_report_text(text)) == without_markers(
        parse_report_text(SEED.read_text(encoding="utf-8"))
    )


def test_levels_reset_below_a_higher_level_and_third_level_is_decimal():
    document = numbered_docx(
        [
            (None, "某镇2020年度法治政府建设情况报告"),
            (0, "主要举措和成效"),
            (1, "加强制度建设"),
            (2, "完善决策程序"),
            (2, "规范性文件审查"),
            (1, "推进执法规范化"),
            (2, "行政执法公示"),
            (0, "存在的问题"),
            (1, "学习不够"),
        ]
    )

    lines = docx_text(docx_bytes(document)).splitlines()

    assert lines[1:] == [
        "一、主要举措和成效",
        "（一）加强制度建设",
        "1.完善决策程序",
        "2.规范性文件审查",
        "（二）推进执法规范化",
        "1.行政执法公示",
        "二、存在的问题",
        "（一）学习不够",
    ]
    report = parse_report_text("\n".join(lines))
    assert [child.heading for child in report.sections[0].items[0].children] == ["完善决策程序", "规范性文件审查"]


def test_a_list_that_restarts_its_numbers_starts_again_at_one():
    document = numbered_docx([(0, "甲"), (0, "乙"), (0, "丙")], restart_at=2)
    assert docx_text(docx_bytes(document)).splitlines() == ["一、甲", "二、乙", "一、丙"]


def test_numbering_given_by_a_paragraph_style_counts_too():
    document = numbered_docx([])
    number_heading_style(document, "Heading 1", 0)
    document.add_paragraph("主要举措和成效", style="Heading 1")
    document.add_paragraph("加强学习。")
    document.add_paragraph("存在的问题", style="Heading 1")
    assert docx_text(docx_bytes(document)).splitlines() == ["一、主要举措和成效", "加强学习。", "二、存在的问题"]


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("decimal", "%1.", "3."),
        ("chineseCountingThousand", "%1、", "三、"),
        ("chineseLegalSimplified", "%1、", "叁、"),
        ("ideographTraditional", "%1、", "丙、"),
        ("decimalEnclosedCircle", "%1", "③"),
        ("upperRoman", "%1.", "III."),
        ("bullet", "\uf06c", ""),
    ],
)
def test_word_number_formats(fmt, text, expected):
    document = numbered_docx([(0, "a"), (0, "b"), (0, "c")], levels=[(fmt, text)])
    assert docx_text(docx_bytes(document)).splitlines()[2] == f"{expected}c"


def test_a_table_in_an_item_is_kept_as_rows_of_that_item():
    document = numbered_docx([(None, "某镇2020年度法治政府建设情况报告"), (0, "主要举措和成效"), (1, "办理案件")])
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("类别", "件数", "办结"), ("行政复议", "12", "12")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("二〇二一年一月五日")

    report = parse_report_text(read_upload("表格.docx", docx_bytes(document)).text)

    assert report.sections[0].items[0].body == "类别\t件数\t办结\n行政复议\t12\t12"


def test_a_document_without_lists_reads_as_plain_paragraphs():
    document = docx.Document()
    document.add_paragraph("一、主要举措和成效")
    assert docx_text(docx_bytes(document)) == "一、主要举措和成效"
