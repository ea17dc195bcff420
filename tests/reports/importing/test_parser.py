import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.importing.lines import is_section_line
from reports.importing.parser import parse_report_text
from reports.importing.sources import read_upload
from reports.importing.structure import ParsedReport, ReportTextError

SEED = Path(__file__).resolve().parents[2] / "data" / "pandong_2019.txt"

# Heading numbers are structure, not text: the parser moves them out of the words.
_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]+、|[（(][一二三四五六七八九十百零〇]+[)）][、.．]?|\d{1,3}(?:[、．]|\.(?!\d)))"
)
_DATE_LINE = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|[〇零一二三四五六七八九]{4}年.{1,3}月.{1,4}日)$")


def fragments(lines: list[str]) -> list[str]:
    """The sentences of some lines, without heading numbers or 。, in order."""
    parts = []
    for line in lines:
        text = _MARKER.sub("", line.strip()).strip()
        parts.extend(part.strip() for part in text.split("。") if part.strip())
    return parts


def structure_lines(report: ParsedReport) -> list[str]:
    """Every piece of text the parser kept, in reading order."""

    def item_lines(item):
        yield item.heading
        yield from item.body.splitlines()
        for child in item.children:
            yield from item_lines(child)

    lines = [report.title, *report.preamble.splitlines()]
    for section in report.sections:
        lines += [section.heading, *section.intro.splitlines()]
        for item in section.items:
            lines += item_lines(item)
    return lines + report.signatories


def assert_nothing_lost(text: str, report: ParsedReport) -> None:
    """Every non-empty line is in the structure, in order, or among the discarded lines."""
    discarded = list(report.discarded_lines)
    kept = []
    for line in (line.strip() for line in text.splitlines()):
        if not line or _DATE_LINE.match(line):
            continue
        if discarded and line == discarded[0]:
            discarded.pop(0)
        else:
            kept.append(line)
    assert discarded == []
    assert fragments(kept) == fragments(structure_lines(report))


@pytest.fixture(scope="module")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    return parse_report_text(seed_text)


# --- The seed report ---------------------------------------------------------------


def test_seed_title_source_and_publication_time(seed):
    assert seed.title == "磐东街道2019年度法治政府建设情况报告"
    assert seed.source == "本网"
    assert seed.published_at == datetime(2020, 5, 27, 16, 56)  # noqa: DTZ001 - the parser reports local, naive time


def test_seed_preamble_is_the_paragraph_before_the_first_heading(seed):
    assert seed.preamble.startswith("2019年,磐东街道根据中共中央")
    assert seed.preamble.endswith("现将2019年度磐东街道法治政府建设情况报告如下:")
    assert "\n" not in seed.preamble


def test_seed_has_the_four_required_sections(seed):
    assert [(section.kind, section.heading) for section in seed.sections] == [
        ("measures", "主要举措和成效"),
        ("shortcomings", "存在不足和原因"),
        ("leadership", "党政主要负责人推进法治建设情况"),
        ("plans", "下一年度法治建设主要工作安排"),
    ]
    assert not any(section.unclassified for section in seed.sections)


def test_seed_measures_have_five_items_with_heading_lines_and_body_paragraphs(seed):
    measures = seed.sections[0]
    assert measures.intro == ""
    assert [item.heading for item in measures.items] == [
        "完善决策制度,推动决策依法民主",
        "完善监督制度,督促工作依法依规",
        "加大宣传力度,营造浓厚法治氛围",
        "规范合同管理,落实合法性审查机制",
        "化解矛盾纠纷,确保辖区和谐稳定",
    ]
    first = measures.items[0]
    assert first.body.startswith("街道完善各种行政决策制度,严格规范程序。一是各方联动决策制度。")
    assert first.body.endswith("实现社区法律顾问全覆盖。")
    assert all(item.children == [] for item in measures.items)


def test_seed_shortcomings_are_run_in_headings(seed):
    shortcomings = seed.sections[1]
    assert [item.heading for item in shortcomings.items] == ["法治政府建设宣传力度不够", "依法行政工作创新不够"]
    assert shortcomings.items[0].body.startswith("部分街道机关工作人员对法治政府建设内容理解不透彻")
    assert shortcomings.items[1].body.endswith("缺乏创新能力。")


def test_seed_leadership_section_is_intro_only(seed):
    leadership = seed.sections[2]
    assert leadership.items == []
    assert leadership.intro.startswith("充分发挥党工委在法治建设中的领导核心作用")
    assert leadership.intro.endswith("维护稳定的能力。")


def test_seed_plans_have_three_items(seed):
    assert [item.heading for item in seed.sections[3].items] == [
        "进一步加强法治宣传学习教育",
        "进一步加强依法行政队伍建设",
        "进一步完善法治政府建设",
    ]


def test_seed_sign_off(seed):
    assert seed.signatories == ["磐东街道党工委", "磐东街道办事处"]
    assert seed.signing_date == date(2020, 5, 27)


def test_seed_page_chrome_is_discarded(seed):
    assert seed.discarded_lines == [
        "揭东人民政府网站",
        "官方微信",
        "来源:本网 发布时间:2020-05-27 16:56 浏览次数:- 【字体: 分享到:",
        "相关附件:",
        "揭东区人民政府网站",
    ]
    assert seed.warnings == []


def test_seed_every_sentence_of_the_body_lands_in_order(seed, seed_text):
    body = seed_text[seed_text.index("2019年,磐东街道根据") : seed_text.index("磐东街道党工委")]
    kept = structure_lines(seed)[1 : -len(seed.signatories)]
    assert fragments(body.splitlines()) == fragments(kept)
    assert_nothing_lost(seed_text, seed)


# --- Variants ------------------------------------------------------------------------

FULL_WIDTH = """\
关于2021年度法治政府建设情况的报告
　　2021年，区司法局在区委、区政府的领导下，扎实推进法治政府建设。
　　现将有关情况报告如下：
一、2021年度推进法治政府建设的主要举措和成效
（一）健全依法决策机制
　　严格落实重大行政决策程序。
　　全年集体讨论重大事项12项。
（二）深化“放管服”改革。全面推行证明事项告知承诺制，群众办事更便利。
二、存在的不足和原因
　　执法人员专业素质有待提高。
三、党政主要负责人履行推进法治建设第一责任人职责情况
　　主要负责人带头学法。
四、2022年度推进法治政府建设的主要安排
（一）加强队伍建设
揭东区司法局
2022年1月20日
"""


def test_full_width_parentheses_and_indentation():
    report = parse_report_text(FULL_WIDTH)
    assert report.title == "关于2021年度法治政府建设情况的报告"
    assert report.preamble == "2021年，区司法局在区委、区政府的领导下，扎实推进法治政府建设。\n现将有关情况报告如下："
    assert [section.kind for section in report.sections] == ["measures", "shortcomings", "leadership", "plans"]
    first, second = report.sections[0].items
    assert (first.heading, first.body) == ("健全依法决策机制", "严格落实重大行政决策程序。\n全年集体讨论重大事项12项。")
    assert (second.heading, second.body) == ("深化“放管服”改革", "全面推行证明事项告知承诺制，群众办事更便利。")
    assert report.sections[3].items[0].heading == "加强队伍建设"
    assert report.signatories == ["揭东区司法局"]
    assert report.signing_date == date(2022, 1, 20)
    assert report.warnings == []
    assert_nothing_lost(FULL_WIDTH, report)


THREE_LEVELS = """\
某镇2020年度法治政府建设情况报告
一、主要举措和成效
（一）加强制度建设
1.完善决策程序。决策前充分征求意见。
2、规范性文件审查
全年审查文件12件。
1.5万人次参加法治培训。
3．合同管理
（二）推进执法规范化
(1)全面推行行政执法公示制度。
二、下一步工作计划
1.加强学习
2、强化监督
监督到位。
二〇二一年一月五日
"""


def test_third_level_items_nest_under_the_current_item():
    report = parse_report_text(THREE_LEVELS)
    building, enforcement = report.sections[0].items
    assert building.heading == "加强制度建设"
    assert building.body == ""
    assert [(child.heading, child.body) for child in building.children] == [
        ("完善决策程序", "决策前充分征求意见。"),
        ("规范性文件审查", "全年审查文件12件。\n1.5万人次参加法治培训。"),
        ("合同管理", ""),
    ]
    assert enforcement.body == "(1)全面推行行政执法公示制度。"
    assert_nothing_lost(THREE_LEVELS, report)


def test_third_level_items_without_a_second_level_stand_on_their_own():
    plans = parse_report_text(THREE_LEVELS).sections[1]
    assert plans.kind == "plans"
    assert [(item.heading, item.body, item.children) for item in plans.items] == [
        ("加强学习", "", []),
        ("强化监督", "监督到位。", []),
    ]


def test_chinese_date_line_is_read():
    report = parse_report_text(THREE_LEVELS)
    assert report.signing_date == date(2021, 1, 5)
    assert report.signatories == []


NO_SIGN_OFF = """\
某街道2020年度法治政府建设情况报告
一、主要举措和成效
加强学习。
二、存在不足和原因
学习不够。
"""


def test_report_without_sign_off_keeps_its_last_paragraph_and_warns():
    report = parse_report_text(NO_SIGN_OFF)
    assert report.signatories == []
    assert report.signing_date is None
    assert report.sections[-1].intro == "学习不够。"
    assert any("落款日期" in warning for warning in report.warnings)
    assert_nothing_lost(NO_SIGN_OFF, report)


UNCLASSIFIED = """\
某街道2020年度法治政府建设情况报告
一、主要举措和成效
加强学习。
二、其他需要说明的事项
无。
三、工作成效
重复的部分。
"""


def test_other_is_a_part_of_its_own_and_a_repeated_kind_becomes_other_with_a_warning():
    report = parse_report_text(UNCLASSIFIED)
    assert [(section.kind, section.unclassified) for section in report.sections] == [
        ("measures", False),
        ("other", False),
        ("other", True),
    ]
    assert report.sections[1].heading == "其他需要说明的事项"
    assert report.sections[1].intro == "无。"
    assert not any("其他需要说明的事项" in warning for warning in report.warnings)
    assert any("工作成效" in warning for warning in report.warnings)


CHROME_IN_THE_MIDDLE = """\
首页
某区人民政府门户网站
某街道2020年度法治政府建设情况报告
来源：本网　发布时间：2021-03-01 09:30　浏览次数：12
一、主要举措和成效
（一）完善制度
第一段在此分页，
揭东区人民政府网站
第 2 页 共 3 页
某街道2020年度法治政府建设情况报告
主办单位：揭阳市揭东区人民政府办公室　联系电话：0663-3266000
版权所有：揭阳市揭东区人民政府　粤ICP备12345678号
粤公网安备 44520302000000号　网站标识码：4452030001
接着写完。
（二）加强培训
附件：培训名单.xlsx
相关附件：
培训名单.xlsx
"""


def test_page_chrome_in_the_middle_is_discarded_and_the_text_joins_up():
    report = parse_report_text(CHROME_IN_THE_MIDDLE)
    assert report.source == "本网"
    assert report.published_at == datetime(2021, 3, 1, 9, 30)  # noqa: DTZ001 - local, naive time
    first, second = report.sections[0].items
    assert first.body == "第一段在此分页，\n接着写完。"
    assert second.body == "附件：培训名单.xlsx"
    assert report.discarded_lines == [
        "首页",
        "某区人民政府门户网站",
        "来源：本网　发布时间：2021-03-01 09:30　浏览次数：12",
        "揭东区人民政府网站",
        "第 2 页 共 3 页",
        "某街道2020年度法治政府建设情况报告",
        "主办单位：揭阳市揭东区人民政府办公室　联系电话：0663-3266000",
        "版权所有：揭阳市揭东区人民政府　粤ICP备12345678号",
        "粤公网安备 44520302000000号　网站标识码：4452030001",
        "相关附件：",
        "培训名单.xlsx",
    ]
    assert_nothing_lost(CHROME_IN_THE_MIDDLE, report)


@pytest.mark.parametrize("marker", ["1.", "1、", "1．", "1 . ", "1、 "])
def test_third_level_number_forms(marker):
    report = parse_report_text(f"一、主要举措和成效\n（一）制度\n{marker}决策程序\n")
    assert report.sections[0].items[0].children[0].heading == "决策程序"


@pytest.mark.parametrize("marker", ["(一)", "（一）", "( 一 )", "（一）、"])
def test_second_level_number_forms(marker):
    report = parse_report_text(f"一、主要举措和成效\n{marker}完善制度\n")
    assert report.sections[0].items[0].heading == "完善制度"


def test_a_number_that_goes_backwards_is_body_text_with_a_warning():
    text = "一、主要举措和成效\n二、存在不足和原因\n三、下一步工作计划\n一、二季度完成培训。\n"
    report = parse_report_text(text)
    assert len(report.sections) == 3
    assert report.sections[2].intro == "一、二季度完成培训。"
    assert any("一、二季度" in warning for warning in report.warnings)


def test_a_gap_in_numbering_keeps_the_heading_and_warns():
    report = parse_report_text("一、主要举措和成效\n三、存在不足和原因\n")
    assert [section.kind for section in report.sections] == ["measures", "shortcomings"]
    assert any("三、存在不足和原因" in warning for warning in report.warnings)


def test_text_before_the_title_is_discarded_with_a_warning():
    report = parse_report_text("政务公开 > 法治政府\n某镇法治政府建设年度报告\n一、主要举措和成效\n")
    assert report.title == "某镇法治政府建设年度报告"
    assert report.discarded_lines == ["政务公开 > 法治政府"]
    assert report.warnings


def test_missing_title_is_a_warning_and_the_text_becomes_preamble():
    report = parse_report_text("今年工作如下。\n一、主要举措和成效\n")
    assert report.title == ""
    assert report.preamble == "今年工作如下。"
    assert any("标题" in warning for warning in report.warnings)


def test_bidi_overrides_are_removed_from_pasted_text():
    report = parse_report_text("一、主要举措和成效\n\u202e加强学习。\u202c\n")
    assert report.sections[0].intro == "加强学习。"


# Pieces of real reports and of page chrome, shuffled into lines no clerk would write.
PIECES = [
    "一、", "二、", "十一、", "（一）", "(二)", "1.", "2、", "3．", "1.5", "主要举措和成效", "存在不足", "下一步计划",
    "负责人", "加强学习。", "完善制度", "。", "，", "来源：本网", "发布时间：2020-01-01 10:00", "揭东区人民政府网站",
    "官方微信", "相关附件:", "磐东街道党工委", "2020年5月27日", "二〇二〇年五月二十七日", "法治政府建设报告",
    "x.pdf", "版权所有", "<b>", "&amp;", "\u3000", " ", "\u202e", "\x0c",
]  # fmt: skip


@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join), max_size=12).map("\n".join))
def test_any_text_parses_or_is_refused_and_no_kept_text_is_lost(text):
    try:
        report = parse_report_text(text)
    except ReportTextError:
        return
    if report.warnings and "原文没有按段落分行" in report.warnings[0]:
        return  # read as flattened text: see test_flatten.py for its own guarantee
    lines = [line.replace("\u202e", "").strip() for line in re.split(r"[\n\x0c]", text)]
    kept, discarded, title_pending = [], list(report.discarded_lines), bool(report.title)
    in_body = False
    for line in filter(None, lines):
        in_body = in_body or is_section_line(line)
        if title_pending and line == report.title:
            title_pending = False
        elif discarded and line == discarded[0] and (line != report.title or in_body):
            discarded.pop(0)
            continue
        if not _DATE_LINE.match(line):
            kept.append(_MARKER.sub("", line))
    assert discarded == []
    structure = iter(re.sub(r"[\s。]", "", "".join(structure_lines(report))))
    assert all(char in structure for char in re.sub(r"[\s。]", "", "".join(kept)))


# --- Errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\u3000\u3000\n\t\n"])
def test_empty_text_is_refused(text):
    with pytest.raises(ReportTextError, match="没有可导入的内容"):
        parse_report_text(text)


@pytest.mark.parametrize("text", ["一、主要举措\x00\x00", "".join(map(chr, range(1, 32))) * 3 + "一、举措"])
def test_binary_text_is_refused(text):
    with pytest.raises(ReportTextError, match="二进制"):
        parse_report_text(text)


def test_text_without_headings_is_refused():
    with pytest.raises(ReportTextError, match="一级标题"):
        parse_report_text("磐东街道2019年度法治政府建设情况报告\n今年我们做了很多工作。\n")


def test_report_text_error_is_a_value_error():
    assert issubclass(ReportTextError, ValueError)


# --- Uploads -------------------------------------------------------------------------------


def test_txt_upload_in_utf8_with_or_without_bom(seed_text):
    data = seed_text.encode("utf-8")
    assert read_upload("报告.txt", data).text == seed_text
    assert read_upload("报告.TXT", b"\xef\xbb\xbf" + data).text == seed_text


def test_txt_upload_in_gb18030(seed_text):
    assert read_upload("报告.txt", seed_text.encode("gb18030")).text == seed_text


def test_txt_upload_in_utf16_with_bom(seed_text):
    assert read_upload("报告.txt", seed_text.encode("utf-16")).text == seed_text


def test_docx_upload_reads_paragraphs_and_tables_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("某镇2020年度法治政府建设情况报告")
    document.add_paragraph("一、主要举措和成效")
    document.add_paragraph("（一）完善制度。全年制定制度5项。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "数量"
    table.cell(1, 0).text, table.cell(1, 1).text = "培训", "3次"
    document.add_paragraph("某镇人民政府")
    document.add_paragraph("2021年1月5日")
    path = tmp_path / "报告.docx"
    document.save(path)

    text = read_upload(path.name, path.read_bytes()).text
    assert text.splitlines() == [
        "某镇2020年度法治政府建设情况报告",
        "一、主要举措和成效",
        "（一）完善制度。全年制定制度5项。",
        "项目\t数量",
        "培训\t3次",
        "某镇人民政府",
        "2021年1月5日",
    ]
    report = parse_report_text(text)
    assert report.sections[0].items[0].body == "全年制定制度5项。\n项目\t数量\n培训\t3次"
    assert report.signatories == ["某镇人民政府"]


def test_docx_that_is_not_a_zip_is_refused():
    with pytest.raises(ReportTextError, match="不是有效的 Word"):
        read_upload("报告.docx", "一、主要举措和成效".encode())


def test_zip_that_is_not_a_word_document_is_refused(tmp_path):
    path = tmp_path / "报告.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ReportTextError, match="不是有效的 Word"):
        read_upload(path.name, path.read_bytes())


@pytest.mark.parametrize(
    ("name", "message"),
    [("报告.doc", "另存为 .docx"), ("报告.wps", "另存为 .docx"), ("报告.pdf", "不是有效的 PDF"), ("报告", "只能导入")],
)
def test_other_file_types_are_refused(name, message):
    with pytest.raises(ReportTextError, match=re.escape(message)):
        read_upload(name, b"data")


def test_a_skipped_heading_number_is_explained_in_plain_words():
    report = parse_report_text("磐东街道2019年度法治政府建设情况报告\n导语。\n二、存在不足和原因\n正文。\n")

    assert (
        "原文在“二、存在不足和原因”之前跳过了编号“一”：可能漏掉了一段内容，也可能只是编号写错了，请对照原文核对。"
        in (report.warnings)
    )


def test_a_repeated_heading_number_says_what_was_done_and_how_to_undo_it():
    report = parse_report_text(
        "磐东街道2019年度法治政府建设情况报告\n一、主要举措\n（一）甲\n正文。\n（一）乙\n正文。\n"
    )

    [warning] = [text for text in report.warnings if "已经用过" in text]
    assert warning.startswith("“（一）乙”的编号“（一）”在前面已经用过")
    assert "从此段起新建条目" in warning
