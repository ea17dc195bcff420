"""Structure and consistency: heading numbers, years, dates, statutory parts and image descriptions."""

import pytest

from reports.checking import structure


def texts(findings) -> list[tuple[str, str]]:
    return [(finding.text, finding.suggestion) for finding in findings]


# --- Heading numbers in pasted text -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "一、总体情况\n（一）制度\n（二）监督\n二、不足\n（一）宣传\n1.学习\n2.培训",
        "1.第一项\n2.第二项\n其他说明。\n1.另一组第一项",  # a list may start again at 1
        "一、二季度开展专项检查。\n三、四月份完成整改。",  # numerals listing quarters and months, not headings
        "1.5万人次参加学习。\n2019年完成。",
    ],
)
def test_well_numbered_text_has_no_heading_finding(text):
    assert structure.heading_numbers(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        ("（一）制度\n（一）监督", [("（一）", "应为“（二）”")], "structure.heading_number.duplicated"),
        ("（一）制度\n（三）监督", [("（三）", "应为“（二）”")], "structure.heading_number.skipped"),
        ("一、举措\n三、计划", [("三、", "应为“二、”")], "structure.heading_number.skipped"),
        ("1.学习\n3.培训", [("3.", "应为“2.”")], "structure.heading_number.skipped"),
    ],
)
def test_duplicated_or_skipped_heading_numbers_are_found(text, expected, rule):
    findings = structure.heading_numbers(text)
    assert texts(findings) == expected
    assert {finding.rule for finding in findings} == {rule}
    assert all(text[finding.start : finding.end] == finding.text for finding in findings)


def test_item_numbers_count_again_under_each_heading():
    assert structure.heading_numbers("一、举措\n（一）制度\n（二）监督\n二、不足\n（一）宣传") == []


@pytest.mark.parametrize(
    ("heading", "expected"),
    [("（二）完善监督制度", [("（二）", "完善监督制度")]), ("1. 建立台账", [("1.", "建立台账")]), ("完善监督制度", [])],
)
def test_a_heading_typed_with_its_own_number_is_found(heading, expected):
    assert texts(structure.typed_heading_number(heading)) == expected


# --- Years and dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("磐东街道2018年度法治政府建设情况报告", True),
        ("磐东街道2019年度法治政府建设情况报告", False),
        ("磐东街道二〇一九年度法治政府建设情况报告", False),
        ("关于2019年法治政府建设工作和2020年工作安排的报告", False),
        ("磐东街道法治政府建设情况报告", False),
    ],
)
def test_title_naming_another_year_than_the_reports_is_block_level(title, flagged):
    findings = structure.title_year(title, 2019)
    assert bool(findings) is flagged
    assert all(finding.severity == "block" and finding.suggestion == "2019年" for finding in findings)


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("（一）2017年主要举措", ["2017年"]),
        ("（一）2019年主要举措", []),
        ("四、2020年工作安排", []),  # plans name the following year
        ("（二）贯彻《法治政府建设实施纲要（2015—2020年）》", []),
        ("（二）2011—2015年规划回顾", []),
    ],
)
def test_heading_naming_another_year_is_a_warning(heading, expected):
    findings = structure.heading_years(heading, 2019)
    assert [finding.text for finding in findings] == expected
    assert all(finding.severity == "warn" for finding in findings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("于2019年2月30日召开", ["2019年2月30日"]),
        ("于2019年2月29日召开", ["2019年2月29日"]),
        ("于2020年2月29日召开", []),
        ("于2019年13月召开", ["2019年13月"]),
        ("于二〇一九年二月三十日召开", ["二〇一九年二月三十日"]),
        ("于2019-04-31召开", ["2019-04-31"]),
        ("于2019-04-30召开", []),
        ("2019年12月31日前完成，共5000年次", []),
    ],
)
def test_dates_that_do_not_exist_are_block_level(text, expected):
    findings = structure.impossible_dates(text)
    assert [finding.text for finding in findings] == expected
    assert all(finding.severity == "block" for finding in findings)


# --- Images ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "count"),
    [('<p><img src="a.png"></p>', 1), ('<img src="a.png" alt=" ">', 1), ('<img src="a.png" alt="普法现场">', 0)],
)
def test_images_without_alt_text_are_found(html, count):
    assert len(structure.images_without_alt(html)) == count


@pytest.mark.parametrize(
    ("name", "content_type", "flagged"),
    [
        ("IMG_2031.jpg", "image/jpeg", True),
        ("微信图片_20190312.png", "image/png", True),
        ("普法宣传活动现场.jpg", "image/jpeg", False),
        ("IMG_2031.pdf", "application/pdf", False),
    ],
)
def test_image_attachment_named_only_by_the_camera_is_found(name, content_type, flagged):
    assert bool(structure.undescribed_image_attachment(name, content_type)) is flagged
