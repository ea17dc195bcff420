import pytest

from reports.numbering import (
    chinese_numeral,
    item_number,
    parse_chinese_digits,
    parse_chinese_numeral,
    section_number,
    subitem_number,
)

# Written out by hand, not computed, so the table cannot share a bug with the code.
ONE_TO_NINETY_NINE = """
    一     二     三     四     五     六     七     八     九     十
    十一   十二   十三   十四   十五   十六   十七   十八   十九   二十
    二十一 二十二 二十三 二十四 二十五 二十六 二十七 二十八 二十九 三十
    三十一 三十二 三十三 三十四 三十五 三十六 三十七 三十八 三十九 四十
    四十一 四十二 四十三 四十四 四十五 四十六 四十七 四十八 四十九 五十
    五十一 五十二 五十三 五十四 五十五 五十六 五十七 五十八 五十九 六十
    六十一 六十二 六十三 六十四 六十五 六十六 六十七 六十八 六十九 七十
    七十一 七十二 七十三 七十四 七十五 七十六 七十七 七十八 七十九 八十
    八十一 八十二 八十三 八十四 八十五 八十六 八十七 八十八 八十九 九十
    九十一 九十二 九十三 九十四 九十五 九十六 九十七 九十八 九十九
""".split()


def test_the_table_lists_ninety_nine_numerals():
    assert len(ONE_TO_NINETY_NINE) == 99


@pytest.mark.parametrize(("n", "spelled"), list(enumerate(ONE_TO_NINETY_NINE, start=1)))
def test_numerals_from_one_to_ninety_nine_match_the_table(n, spelled):
    assert chinese_numeral(n) == spelled
    assert parse_chinese_numeral(spelled) == n


@pytest.mark.parametrize(
    ("n", "spelled"),
    [(100, "一百"), (101, "一百零一"), (110, "一百一十"), (111, "一百一十一"), (205, "二百零五"), (999, "九百九十九")],
)
def test_hundreds_keep_the_ten_and_write_zero(n, spelled):
    assert chinese_numeral(n) == spelled


def test_every_numeral_reads_back_to_its_number():
    assert all(parse_chinese_numeral(chinese_numeral(n)) == n for n in range(1, 1000))


@pytest.mark.parametrize("n", [0, -1, 1000])
def test_numbers_outside_one_to_999_are_refused(n):
    with pytest.raises(ValueError):
        chinese_numeral(n)


@pytest.mark.parametrize("spelled", ["", "零", "十十", "二一", "一十一", "一百十", "百", "壹", "3", "一、"])
def test_malformed_numerals_are_refused_not_guessed(spelled):
    with pytest.raises(ValueError):
        parse_chinese_numeral(spelled)


def test_ling_may_be_written_as_circle_zero():
    assert parse_chinese_numeral("一百〇一") == 101


def test_years_are_read_digit_by_digit():
    assert parse_chinese_digits("二〇二〇") == 2020
    assert parse_chinese_digits("二零一九") == 2019
    with pytest.raises(ValueError):
        parse_chinese_digits("二千")


def test_heading_numbers_follow_official_document_style():
    assert section_number(1) == "一、"
    assert section_number(10) == "十、"
    assert item_number(1) == "（一）"
    assert item_number(12) == "（十二）"
    assert subitem_number(3) == "3."
    with pytest.raises(ValueError):
        subitem_number(0)
