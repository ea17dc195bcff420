import pytest

from reports.sanitize import html_to_text, plain_text, sanitize_html, text_to_html

REL = 'rel="noopener noreferrer nofollow"'
EXTERNAL_REL = 'rel="external noopener noreferrer nofollow"'


def test_allowed_markup_survives():
    html = (
        "<h3>小标题</h3><p><strong>一是</strong><em>强调</em><u>下划线</u><b>粗</b><i>斜</i><br>换行</p>"
        "<blockquote>引文</blockquote><ul><li>甲</li></ul><ol><li>乙</li></ol>"
        '<table><thead><tr><th colspan="2">表头</th></tr></thead>'
        '<tbody><tr><td rowspan="2">格</td><td>格</td></tr></tbody></table>'
    )
    assert sanitize_html(html) == html


def test_script_style_and_iframe_go_with_their_content():
    html = "<p>前<script>alert(1)</script>中<style>p{}</style>后<iframe src=x>框</iframe></p>"
    assert sanitize_html(html) == "<p>前中后</p>"


def test_other_disallowed_tags_keep_their_text():
    assert sanitize_html('<div><span class="x">文字</span><img src="a.png"></div>') == "文字"


def test_event_handlers_and_style_attributes_are_removed():
    html = '<p onclick="alert(1)" style="color:red" class="x" id="y">段落</p>'
    assert sanitize_html(html) == "<p>段落</p>"


def test_cell_spans_must_be_small_positive_numbers():
    html = '<table><tr><td colspan="2 onclick=x" rowspan="0">格</td></tr></table>'
    assert sanitize_html(html) == "<table><tbody><tr><td>格</td></tr></tbody></table>"


@pytest.mark.parametrize("href", ["mailto:fzb@example.com", "/reports/2019/", "reports/2019/", "#section-2", "?page=2"])
def test_safe_links_stay_and_get_rel(href):
    assert sanitize_html(f'<a href="{href}" title="说明">链接</a>') == f'<a href="{href}" title="说明" {REL}>链接</a>'


@pytest.mark.parametrize("href", ["https://www.jiedong.gov.cn/", "http://example.com/a?b=1&amp;c=2", "HTTPS://GOV.CN"])
def test_links_to_other_sites_stay_marked_external(href):
    assert sanitize_html(f'<a href="{href}">链接</a>') == f'<a href="{href}" {EXTERNAL_REL}>链接</a>'


@pytest.mark.parametrize(
    "href",
    [
        "//evil.example/",
        "\\\\evil.example",
        "/\\evil.example",
        "\\/evil.example",
        "/\t/evil.example",
        " //evil.example",
    ],
)
def test_addresses_that_look_relative_but_leave_the_site_lose_their_href(href):
    assert sanitize_html(f'<a href="{href}">链接</a>') == f"<a {REL}>链接</a>"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)",
        "javascript&colon;alert(1)",
        "&#14;javascript:alert(1)",
        "\u2028javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "javascript:123",  # urllib reads this as a path with a port, so bleach alone lets it through
    ],
)
def test_dangerous_link_schemes_are_dropped(href):
    assert sanitize_html(f'<a href="{href}">链接</a>') == f"<a {REL}>链接</a>"


def test_link_rel_cannot_be_overridden():
    assert sanitize_html('<a href="/x" rel="opener" target="_blank">x</a>') == f'<a href="/x" {REL}>x</a>'


def test_comments_are_removed():
    assert sanitize_html("<p>甲<!-- 注释 --><!--[if IE]><script>x</script><![endif]-->乙</p>") == "<p>甲乙</p>"


def test_broken_markup_is_closed_and_escaped():
    assert sanitize_html("<p>1 < 2 & <b>粗") == "<p>1 &lt; 2 &amp; <b>粗</b></p>"


def test_bidi_overrides_and_controls_are_removed_from_rich_text():
    assert sanitize_html("<p>\u202eexe.txt\x07</p>") == "<p>exe.txt</p>"


def test_sanitizing_twice_changes_nothing():
    html = '<p onclick=x>甲<a href="https://e.com" rel=x>乙</a><script>丙</script></p><table><td>丁'
    once = sanitize_html(html)
    assert sanitize_html(once) == once


def test_empty_rich_text_stays_empty():
    assert sanitize_html("") == ""
    assert sanitize_html("<script>x</script>") == ""


def test_plain_text_strips_all_markup_and_collapses_whitespace():
    assert (
        plain_text("  <b>磐东街道</b>\n\t2019年度<script>x</script>  报告&amp;附件 ") == "磐东街道 2019年度 报告&附件"
    )


def test_plain_text_removes_bidi_overrides_and_isolates():
    text = "".join(["甲", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "乙"])
    assert plain_text(text) == "甲乙"


def test_plain_text_removes_control_characters():
    assert plain_text("报告\x00\x1b[31m\x7f名称") == "报告[31m名称"


def test_plain_text_never_leaves_something_that_opens_a_tag():
    assert plain_text("&lt;script&gt;alert(1)&lt;/script&gt;") == "＜script>alert(1)＜/script>"
    assert plain_text("收入<1000元") == "收入<1000元"


def test_html_to_text_puts_blocks_on_their_own_lines():
    html = "<h3>标题</h3><p>第一段&nbsp;&amp;&lt;</p><p>第二段<br>换行</p><ul><li>甲</li><li>乙</li></ul>"
    html += "<table><tr><td>格1</td><td>格2</td></tr></table><script>var x;</script>"
    assert html_to_text(html) == "标题\n第一段 &<\n第二段\n换行\n甲\n乙\n格1 格2"


def test_text_to_html_makes_escaped_paragraphs():
    text = "\u3000\u3000第一段 a<b & c\r\n\r\n第二段\n  第三段  \n"
    assert text_to_html(text) == "<p>第一段 a&lt;b &amp; c</p>\n<p>第二段</p>\n<p>第三段</p>"


def test_text_to_html_output_is_already_sanitized():
    html = text_to_html("甲 & 乙\n<script>alert('x')</script>")
    assert sanitize_html(html) == html


def test_deeply_nested_markup_does_not_crash():
    html = "<b>" * 5000 + "深" + "</b>" * 5000
    assert plain_text(html) == "深"
    assert "深" in sanitize_html(html)
