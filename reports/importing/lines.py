"""What one line (or one fragment of a flattened line) of a report is.

A heading number, page chrome copied off a web page or a document-sharing site, the
title, the signing date or a signatory. The parser asks these questions of whole lines,
the flattened-text reader of the pieces it cuts a long line into.
"""

import re
from datetime import date

from reports.numbering import NUMERAL_CHARS, parse_chinese_digits, parse_chinese_numeral

# --- Headings ----------------------------------------------------------------
LEVEL_1 = re.compile(rf"([{NUMERAL_CHARS}]+)\s*(?:、|[.．](?!\d))\s*(.*)")
LEVEL_2 = re.compile(rf"[（(]\s*([{NUMERAL_CHARS}]+)\s*[)）]\s*[、.．]?\s*(.*)")
# "1.5万人次……" opens a paragraph with a decimal, not a heading: no digit after the dot.
LEVEL_3 = re.compile(r"(\d{1,3})\s*(?:[、．]|\.(?!\d))\s*(.*)")


def heading(line: str) -> tuple[int, int, str, str] | None:
    """(level, number, number as written, text after it) for a heading line, else None."""
    for level, pattern in ((1, LEVEL_1), (2, LEVEL_2)):
        match = pattern.fullmatch(line)
        if match:
            try:
                return level, parse_chinese_numeral(match[1]), line[: match.start(2)].strip(), match[2]
            except ValueError:
                return None
    match = LEVEL_3.fullmatch(line)
    if match and int(match[1]) > 0:
        return 3, int(match[1]), line[: match.start(2)].strip(), match[2]
    return None


def is_section_line(line: str) -> bool:
    found = heading(line)
    return found is not None and found[0] == 1


# --- Page chrome --------------------------------------------------------------
META_FIELD = re.compile(
    r"(?:(?:信息)?来源|发布(?:时间|日期)|浏览(?:次数|量)|点击(?:数|量|次数)|访问(?:次数|量)|作者|责任编辑)\s*[:：]"
)
META_START = re.compile(r"(?:【\s*字体|字体\s*[:：]|分享到|【\s*(?:打印|关闭)\s*】)")
SOURCE = re.compile(r"(?:信息)?来源\s*[:：]\s*(.*?)\s*(?=发布|浏览|点击|访问|作者|责任编辑|【|分享到|$)")
PUBLISHED = re.compile(
    r"发布(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?"
)
# Page numbers and the marks document-sharing sites put between the chunks of a document.
CHUNK_MARKER = (
    r"第\s*\d+\s*页(?:\s*[/／,，]?\s*共\s*\d+\s*页)?|[-—–]{1,2}\s*\d{1,4}\s*[-—–]{1,2}|"
    r"原创力文档|max\.book118\.com|百度文库|道客巴巴|豆丁网|文档(?:分享|下载)网站?|"
    r"(?:本文档)?(?:预览|内容)与(?:源|原)文档一致|下载(?:高清)?无水印|免费(?:在线)?(?:阅读|下载)|"
    r"(?:本文(?:档)?|此文档)(?:由用户)?上传(?:者)?[^。\s]{0,20}|精品文档|word版可编辑|可编辑版?"
)
_CHROME_LINE = re.compile(
    r"官方微信|官方微博|微信公众号|政务微信|政务微博|无障碍(?:浏览|阅读)?|长者模式|适老化|"
    r"首页|网站地图|联系我们|打印本页|关闭窗口|返回顶部|"
    r"相关附件\s*[:：]?|附件下载\s*[:：]?|扫一扫.*|(?:您)?当前(?:的)?位置\s*[:：].*|上一篇\s*[:：].*|下一篇\s*[:：].*|"
    + CHUNK_MARKER
)
_SITE_NAME = re.compile(r"[^，,。；;：:！？]{2,30}(?:网站|门户网|政府网)")
_FOOTER_WORD = re.compile(
    r"主办单位|承办单位|版权所有|ICP备|公网安备|网站标识码|网站识别码|联系电话|技术支持|copyright|©", re.I
)
_FILE_NAME = re.compile(r"[^。:：]{1,80}\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|jpe?g|png)", re.I)
_FOOTER_MAX_LENGTH = 80


def is_chrome(line: str) -> bool:
    """A line of a web page or a shared document around the report, never a heading."""
    if heading(line):
        return False
    if is_meta(line):
        return True
    if _CHROME_LINE.fullmatch(line) or _SITE_NAME.fullmatch(line) or _FILE_NAME.fullmatch(line):
        return True
    return len(line) <= _FOOTER_MAX_LENGTH and not line.endswith("。") and _FOOTER_WORD.search(line) is not None


def is_meta(line: str) -> bool:
    """The 来源/发布时间/浏览次数/【字体 line of an article page (never one with a sentence in it)."""
    return "。" not in line and bool(META_FIELD.match(line) or META_START.match(line))


# --- Title and sign-off ----------------------------------------------------------
TITLE_MAX_LENGTH = 60
_SIGNATORY_MAX_LENGTH = 30
_SIGNATORY_SUFFIXES = (
    "党工委", "办事处", "人民政府", "政府", "委员会", "管委会", "党委", "党组", "工委",
    "局", "办公室", "厅", "部", "院", "所", "中心", "街道", "镇", "乡",
)  # fmt: skip
_SENTENCE_PUNCTUATION = re.compile(r"[，,。；;：:！？!?、“”\"]")
_ARABIC_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_CHINESE_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
DATE_AT_END = re.compile(
    r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$"
)


def is_title(line: str) -> bool:
    return "法治" in line and "报告" in line and len(line) <= TITLE_MAX_LENGTH and not line.endswith(("。", "：", ":"))


def parse_date_line(line: str) -> date | None:
    compact = "".join(line.split())
    try:
        if match := _ARABIC_DATE.fullmatch(compact):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _CHINESE_DATE.fullmatch(compact):
            return date(
                parse_chinese_digits(match[1]), parse_chinese_numeral(match[2]), parse_chinese_numeral(match[3])
            )
    except ValueError:
        return None
    return None


def is_signatory(line: str) -> bool:
    return (
        len(line) <= _SIGNATORY_MAX_LENGTH
        and line.endswith(_SIGNATORY_SUFFIXES)
        and not _SENTENCE_PUNCTUATION.search(line)
        and heading(line) is None
    )
