"""Personal data: each kind found only when its own check confirms it, never inside a longer number."""

import pytest

from reports.checking import personal_data
from reports.checking.findings import FindingKind


def kinds(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in personal_data.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证号11010519491231002X。", [(FindingKind.ID_NUMBER, "11010519491231002X")]),
        ("身份证号11010519491231002x。", [(FindingKind.ID_NUMBER, "11010519491231002x")]),
        ("联系电话13812345678。", [(FindingKind.MOBILE_NUMBER, "13812345678")]),
        ("手机：138 1234 5678", [(FindingKind.MOBILE_NUMBER, "138 1234 5678")]),
        ("手机：+86 138-1234-5678", [(FindingKind.MOBILE_NUMBER, "+86 138-1234-5678")]),
        ("卡号6222021234567890128。", [(FindingKind.BANK_CARD, "6222021234567890128")]),
        ("卡号6222 0212 3456 7890 128。", [(FindingKind.BANK_CARD, "6222 0212 3456 7890 128")]),
        ("统一社会信用代码91110000600037341L。", [(FindingKind.CREDIT_CODE, "91110000600037341L")]),
    ],
)
def test_personal_data_confirmed_by_its_check_is_found(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "身份证号110105194912310021。",  # wrong check digit
        "身份证号110105194913310029。",  # no 13th month, whatever the check digit
        "编号213812345678901。",  # a mobile number's digits inside a longer run
        "编号13812345678901。",
        "投入资金12345678901元。",  # starts with 12: no mobile number does
        "值班电话0663-3288888。",  # an office landline is public on purpose
        "卡号6222021234567890127。",  # fails the Luhn check
        "统一社会信用代码91110000600037341M。",  # wrong check character
        "2019年共办理案件1234件，涉及金额56789012元。",
    ],
)
def test_numbers_failing_their_check_are_not_found(text):
    assert kinds(text) == []


def test_a_number_that_is_both_an_id_and_a_card_is_reported_once_as_an_id():
    """440301199001010119 passes both the ID check digit and Luhn."""
    assert kinds("号码440301199001010119。") == [(FindingKind.ID_NUMBER, "440301199001010119")]


def test_personal_data_is_block_level_with_offsets_into_the_text():
    text = "请联系张三，手机13812345678，谢谢。"
    (finding,) = personal_data.find(text)
    assert (finding.severity, text[finding.start : finding.end]) == ("block", "13812345678")
    assert finding.rule == "personal_data.mobile_number"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("11010519491231002X", "1101**********002X"),
        ("13812345678", "138****5678"),
        ("6222 0212 3456 7890 128", "6222***********0128"),
    ],
)
def test_personal_data_is_masked_wherever_it_is_written_down(text, masked):
    (finding,) = personal_data.find(f"号码{text}。")
    assert finding.display_text == masked
