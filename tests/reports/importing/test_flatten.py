"""Text that lost its lines: copied out of a PDF viewer or a document-sharing site."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.importing.parser import parse_report_text
from reports.importing.structure import ReportTextError

SEED = Path(__file__).resolve().parents[2] / "data" / "pandong_2019.txt"
TITLE = "磐东街道2019年度法治政府建设情况报告"
FLATTENED_WARNING = "原文没有按段落分行"

# The issue's own example: a 2021 report pasted from a document-sharing site as one line.
SHARED_SITE = (
    "某区司法局2020年度法治政府建设情况报告 某区司法局2020年度法治政府建设情况报告 原创力文档 "
    "2020 年,我局在区委、区政府的坚强领导下,深入推进法 治政府建设,现将有关情况报告如下: "
    "一、2020 年推进法治政府建设的主要举措和成效 (一)加强组织领导 成立以主要负责人为组长的领导小组,"
    "形成党委统一领导、部门齐 抓共管的工作格局。一是强化学习,二是强化考核。 — 2 — "
    "(二)深化\u201c放管服\u201d改革。全年办理事项 3 000 余件,推行 App 办理和 Word 模板,群众满意度达 99%。 "
    "二、存在的不足和原因 一是基层执法力量薄弱;二是开展一、二季度检查时发现问题较多。 "
    "三、党政主要负责人履行推进法治建设第一责任人职责情况 主要负责人带头学法 12 次。 — 3 — "
    "四、2021 年推进法治政府建设的主要安排 (一)加强队伍建设。开展培训。 (二)强化监督。 "
    "某区司法局 2021 年 1 月 20 日"
)


def flattened_seed(width: int = 37, marker_every: int = 700) -> str:
    """The seed as a PDF viewer would give it: one line, a space at every wrap, page numbers and running titles."""
    flat = " ".join(line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip())
    out = []
    for position, char in enumerate(flat):
        out.append(char)
        if position % width == width - 1:
            out.append(" ")
        if position % marker_every == marker_every - 1:
            out.append(f" — {position // marker_every + 1} — {TITLE} ")
    return "".join(out)


def test_the_issues_example_is_read_into_its_structure():
    report = parse_report_text(SHARED_SITE)

    assert report.title == "某区司法局2020年度法治政府建设情况报告"
    assert report.preamble == ("2020年,我局在区委、区政府的坚强领导下,深入推进法治政府建设,现将有关情况报告如下:")
    assert [(section.kind, section.heading) for section in report.sections] == [
        ("measures", "2020年推进法治政府建设的主要举措和成效"),
        ("shortcomings", "存在的不足和原因"),
        ("leadership", "党政主要负责人履行推进法治建设第一责任人职责情况"),
        ("plans", "2021年推进法治政府建设的主要安排"),
    ]
    leadership, reform = report.sections[0].items
    assert leadership.heading == "加强组织领导"
    assert leadership.body.startswith("成立以主要负责人为组长的领导小组,形成党委统一领导、部门齐抓共管的工作格局。")
    assert reform.heading == "深化\u201c放管服\u201d改革"
    assert report.sections[1].intro == "一是基层执法力量薄弱;二是开展一、二季度检查时发现问题较多。"
    assert [item.heading for item in report.sections[3].items] == ["加强队伍建设", "强化监督"]
    assert report.signatories == ["某区司法局"]
    assert str(report.signing_date) == "2021-01-20"
    assert report.discarded_lines[:4] == ["原创力文档", "— 2 —", "— 3 —", "某区司法局2020年度法治政府建设情况报告"]
    assert FLATTENED_WARNING in report.warnings[0]


def test_wrap_spaces_go_between_chinese_characters_but_stay_around_latin_words_and_inside_numbers():
    body = parse_report_text(SHARED_SITE).sections[0].items[1].body
    assert body == "全年办理事项3 000余件,推行 App 办理和 Word 模板,群众满意度达99%。"


def test_the_authors_punctuation_is_kept_as_written():
    text = SHARED_SITE.replace("如下:", "如下：").replace("(一)加强组织领导", "（一）加强组织领导")
    report = parse_report_text(text)
    assert report.preamble.endswith("如下：")
    assert report.sections[0].items[0].marker == "（一）"


def test_the_flattened_seed_reads_like_the_seed():
    flattened = parse_report_text(flattened_seed())
    lined = parse_report_text(SEED.read_text(encoding="utf-8"))

    assert flattened.title == lined.title
    assert [(s.kind, s.heading) for s in flattened.sections] == [(s.kind, s.heading) for s in lined.sections]
    assert [[item.heading for item in s.items] for s in flattened.sections] == [
        [item.heading for item in s.items] for s in lined.sections
    ]
    assert flattened.source == "本网"
    assert flattened.signing_date == lined.signing_date


def test_yi_shi_and_a_list_inside_a_sentence_are_not_headings():
    text = "某镇法治政府建设报告 一是加强学习,开展一、二季度培训。 一、主要举措和成效 加强学习。 二、存在问题 不足。"
    report = parse_report_text(text)
    assert report.preamble == "一是加强学习,开展一、二季度培训。"
    assert [section.heading for section in report.sections] == ["主要举措和成效", "存在问题"]


def test_a_numbered_list_in_the_preamble_loses_to_the_reports_own_sections():
    text = (
        "某镇法治政府建设报告 会议提出: 一、要加强学习; 二、要强化考核。 "
        "一、主要举措和成效 加强学习。 二、存在的不足和原因 不足。 三、下一步工作打算 继续努力。"
    )
    report = parse_report_text(text)
    assert [section.kind for section in report.sections] == ["measures", "shortcomings", "plans"]
    assert report.preamble == "会议提出:一、要加强学习;二、要强化考核。"


def test_leaders_duties_first_as_reports_since_2021_have_them():
    text = (
        "某区2022年度法治政府建设情况报告 "
        "一、党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况 带头学法。 "
        "二、2022年度推进法治政府建设的主要举措和成效 (一)完善制度 制定制度。 "
        "三、存在的不足和原因 不足。 四、2023年度推进法治政府建设的主要安排 继续。 五、其他需要报告的情况 无。"
    )
    report = parse_report_text(text)
    assert [section.kind for section in report.sections] == ["leadership", "measures", "shortcomings", "plans", "other"]
    assert not any(section.unclassified for section in report.sections)


def test_text_with_no_heading_sequence_is_still_refused():
    with pytest.raises(ReportTextError, match="一级标题"):
        parse_report_text("今年我们做了很多工作。 一是学习, 二是考核。")


def body_sentences(text: str) -> list[str]:
    """The seed's body sentences, spaces aside, without heading numbers."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(index for index, line in enumerate(lines) if line.startswith("2019年,"))
    end = lines.index("磐东街道党工委")
    sentences = []
    for line in lines[start:end]:
        line = re.sub(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))", "", line)
        sentences += [part for part in line.split("。") if part]
    return sentences


def kept_text(report) -> str:
    parts = [report.preamble]
    for section in report.sections:
        parts += [section.heading, section.intro]
        for item in section.items:
            parts += [item.heading, item.body]
    return re.sub(r"\s", "", "".join(parts))


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(min_value=5, max_value=80),
    marker_every=st.integers(min_value=150, max_value=2000),
)
def test_flattening_never_loses_a_body_sentence(width, marker_every):
    """Wherever the wraps and page breaks fall, every sentence of the body is in the structure, in order."""
    report = parse_report_text(flattened_seed(width, marker_every))
    # A running title split by wraps cannot be told from text; it is left in, which loses nothing.
    kept = kept_text(report).replace(TITLE, "")
    position = 0
    for sentence in body_sentences(SEED.read_text(encoding="utf-8")):
        found = kept.find(re.sub(r"\s", "", sentence), position)
        assert found >= 0, sentence
        position = found
