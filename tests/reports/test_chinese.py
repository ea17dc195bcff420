"""Simplified ⇄ traditional: the converter, and 繁體 pages converted word by word, never markup."""

import pytest

from reports.public.chinese import to_simplified, to_traditional
from reports.public.traditional import traditional_html


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("tw", "為了群眾，裡面說明"),
        ("hk", "為了羣眾，裏面説明"),
        ("standard", "爲了羣衆，裏面說明"),
    ],
)
def test_each_traditional_variant_uses_its_own_forms(variant, expected):
    assert to_traditional("为了群众，里面说明", variant) == expected


def test_the_site_setting_chooses_the_variant(settings):
    settings.PORTAL_TRADITIONAL_VARIANT = "hk"
    assert to_traditional("群众") == "羣眾"


def test_words_are_converted_character_by_character_never_replaced():
    """s2twp would turn 发布 into 釋出 and 信息 into 資訊: a document keeps its wording."""
    assert to_traditional("发布信息", "tw") == "發佈信息"


@pytest.mark.parametrize("typed", ["法律顧問", "爲了群衆", "為了群眾", "裡面", "裏面", "法律顾问"])
def test_any_traditional_form_becomes_simplified(typed):
    assert to_simplified(typed) in {"法律顾问", "为了群众", "里面"}


def test_page_text_and_title_are_converted():
    html = "<!DOCTYPE html><html><head><title>法治政府建设</title></head><body><p>报告<b>发布</b>时间</p></body></html>"
    assert traditional_html(html, "tw") == (
        "<!DOCTYPE html><html><head><title>法治政府建設</title></head><body><p>報告<b>發佈</b>時間</p></body></html>"
    )


def test_addresses_form_values_and_scripts_are_left_as_they_are():
    html = (
        '<a href="/tags/法治建设/" title="法治建设">法治建设</a>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="令牌">'
        '<input name="q" value="搜索词" placeholder="搜索报告">'
        "<script>var 说明 = '说明';</script><style>/* 说明 */</style>"
        '<textarea name="text" placeholder="写下错误">群众写的 title="说明" 原文</textarea>'
        "<!-- 说明 -->"
    )
    assert traditional_html(html, "tw") == (
        '<a href="/tags/法治建设/" title="法治建設">法治建設</a>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="令牌">'
        '<input name="q" value="搜索词" placeholder="搜索報告">'
        "<script>var 说明 = '说明';</script><style>/* 说明 */</style>"
        '<textarea name="text" placeholder="寫下錯誤">群众写的 title="说明" 原文</textarea>'
        "<!-- 说明 -->"
    )


def test_an_element_marked_translate_no_keeps_its_text_and_words():
    html = '<p>切换：<a href="/script/" translate="no" title="简体"><span>简体</span>中文</a>后面</p>'
    expected = '<p>切換：<a href="/script/" translate="no" title="简体"><span>简体</span>中文</a>後面</p>'
    assert traditional_html(html, "tw") == expected


def test_descriptive_meta_tags_and_script_messages_are_converted_addresses_are_not():
    html = (
        '<meta name="Description" content="报告说明">'
        '<meta property="og:url" content="https://example.gov.cn/报告/">'
        '<meta name="PubDate" content="2020-05-27 16:56">'
        '<span data-text-done="朗读结束。" data-copy-link="/报告/" aria-label="复制链接"></span>'
    )
    assert traditional_html(html, "tw") == (
        '<meta name="Description" content="報告說明">'
        '<meta property="og:url" content="https://example.gov.cn/报告/">'
        '<meta name="PubDate" content="2020-05-27 16:56">'
        '<span data-text-done="朗讀結束。" data-copy-link="/报告/" aria-label="複製鏈接"></span>'
    )


def test_neighbouring_pieces_of_text_never_merge_into_one_phrase():
    """Converted in one call for speed, the pieces are kept apart: the result is as if each were alone."""
    pieces = ["头", "发", "干", "部", "面", "条"]
    html = "".join(f"<i>{piece}</i>" for piece in pieces)
    assert traditional_html(html, "tw") == "".join(f"<i>{to_traditional(piece, 'tw')}</i>" for piece in pieces)
