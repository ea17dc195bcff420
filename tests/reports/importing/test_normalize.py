"""Character repairs kept in the text, and the folded form used only for matching."""

import pytest

from reports.importing.normalize import folded, remove_wrap_spaces, repair_characters


@pytest.mark.parametrize(
    ("extracted", "meant"),
    [
        ("\u2f00", "一"),  # KANGXI RADICAL ONE: NFKC fixes it
        ("\u2f2f", "工"),  # KANGXI RADICAL WORK
        ("\u2ea0", "民"),  # CJK RADICAL CIVILIAN: NFKC does not
        ("\u2ed4", "门"),  # CJK RADICAL C-SIMPLIFIED GATE
        ("\u2ed3", "长"),
        ("\u2eda", "页"),
        ("\u2e9f", "母"),
        ("\uf951", "陋"),  # a compatibility ideograph
        ("\ufb01", "fi"),  # a ligature
    ],
)
def test_look_alikes_become_the_ordinary_character(extracted, meant):
    assert repair_characters(f"人{extracted}群") == f"人{meant}群"


def test_repair_leaves_punctuation_and_full_width_forms_as_written():
    text = "（一）法治，ＡＢＣ：１２３。"
    assert repair_characters(text) == text


@pytest.mark.parametrize(
    ("wrapped", "joined"),
    [
        ("法 治", "法治"),
        ("齐 抓共管", "齐抓共管"),
        ("2020 年", "2020年"),
        ("建设 ,进一步", "建设,进一步"),
        ("3 000 人", "3 000人"),
        ("open source", "open source"),
        ("使用 App 办理", "使用 App 办理"),
        ("　　首行缩进", "　　首行缩进"),
    ],
)
def test_wrap_spaces_go_only_between_chinese_characters(wrapped, joined):
    assert remove_wrap_spaces(wrapped) == joined


def test_folded_form_is_half_width_without_wrap_spaces():
    assert folded("（一）主要举 措：２０２０") == "(一)主要举措:2020"
