"""Character-level repairs of extracted text, and the folded form used only for matching.

PDF producers often map glyphs to the wrong code points: Kangxi radicals (⼀ U+2F00 for
一, ⼯ U+2F2F for 工), CJK radical-supplement forms (⺠ U+2EA0 for 民, ⻔ U+2ED4 for 门),
compatibility ideographs and Latin ligatures. A reader sees the right character, but a
search for 民 or 一、 would not find it, so these become the ordinary characters in the
stored text. Nothing else is changed there: the author's punctuation (full-width or not)
is kept as written, and ``folded`` gives the uniform form that heading and kind matching use.
"""

import re
import unicodedata

# CJK radicals supplement forms that stand for an ordinary character. NFKC maps only
# two of this block (⺟ and ⻳); the rest are taken from Unicode's CJKRadicals.txt pairing
# of each radical with its ideograph. Pure component shapes with no character of their
# own (⺀ ⺌ ⺗ …) are left alone.
_RADICAL_SUPPLEMENT = {
    "\u2e81": "厂", "\u2e84": "乙", "\u2e85": "亻", "\u2e86": "冂", "\u2e89": "刂", "\u2e8a": "卜",
    "\u2e8e": "兀", "\u2e90": "尢", "\u2e92": "巳", "\u2e93": "幺", "\u2e94": "彑", "\u2e96": "忄",
    "\u2e98": "扌", "\u2e99": "攵", "\u2e9b": "旡", "\u2e9d": "月", "\u2e9e": "歺", "\u2ea0": "民",
    "\u2ea1": "氵", "\u2ea2": "氺", "\u2ea3": "灬", "\u2ea9": "王", "\u2eaa": "疋", "\u2eac": "示",
    "\u2ead": "礻", "\u2eb8": "羊", "\u2ebb": "聿", "\u2ebc": "月", "\u2ebe": "艹", "\u2ec1": "虎",
    "\u2ec2": "衤", "\u2ec3": "覀", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec8": "讠",
    "\u2ecb": "车", "\u2ecc": "辶", "\u2ecf": "阝", "\u2ed0": "钅", "\u2ed1": "長", "\u2ed3": "长",
    "\u2ed4": "门", "\u2ed6": "阝", "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页",
    "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2edf": "飠", "\u2ee0": "饣", "\u2ee2": "马",
    "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦",
    "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯", "\u2eee": "齿",
    "\u2eef": "竜", "\u2ef0": "龙", "\u2ef2": "亀",
}  # fmt: skip

# Blocks whose compatibility decomposition is the character a reader sees: Kangxi radicals,
# the two radical-supplement forms NFKC knows, compatibility ideographs, Latin ligatures.
_NFKC_RANGES = ((0x2F00, 0x2FDF), (0x2E9F, 0x2E9F), (0x2EF3, 0x2EF3), (0xF900, 0xFAFF), (0xFB00, 0xFB06))
_NFKC = {
    chr(code): unicodedata.normalize("NFKC", chr(code))
    for start, end in _NFKC_RANGES
    for code in range(start, end + 1)
    if unicodedata.normalize("NFKC", chr(code)) != chr(code)
}
_REPAIRS = str.maketrans({**_NFKC, **_RADICAL_SUPPLEMENT})
_NEEDS_REPAIR = re.compile("[" + "".join(re.escape(char) for char in sorted(_NFKC | _RADICAL_SUPPLEMENT)) + "]")


def repair_characters(text: str) -> str:
    """Replace radical look-alikes, compatibility ideographs and ligatures by the ordinary characters."""
    if not _NEEDS_REPAIR.search(text):
        return text
    return text.translate(_REPAIRS)


# Full-width ASCII forms and the ideographic space fold to ASCII; the few Chinese marks
# that play the same part in a heading number fold to one spelling.
_FOLD = str.maketrans(
    {
        **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
        "\u3000": " ",
        "〔": "(",
        "〕": ")",
        "﹙": "(",
        "﹚": ")",
        "．": ".",
    }
)


def folded(text: str) -> str:
    """The form of ``text`` used for matching: half-width punctuation, no spaces between Chinese characters."""
    return remove_wrap_spaces(text.translate(_FOLD))


def is_wide(char: str) -> bool:
    """A Chinese character or full-width mark, between which a line wrap leaves no space."""
    return unicodedata.east_asian_width(char) in "WF" or char in "“”‘’…—·"


_WRAP_SPACE = re.compile(r"(?<=\S)[ \t\u00a0]+(?=\S)")
_ASCII_PUNCTUATION = ",.;:!?)(%"


def remove_wrap_spaces(text: str) -> str:
    """Drop the spaces a line wrap left between Chinese characters: 法 治 → 法治, 2020 年 → 2020年.

    A space stays between Latin words and inside numbers (3 000), where it may be the author's.
    The ideographic space is not touched: in Chinese text it is deliberate indentation.
    """
    if " " not in text and "\t" not in text and "\u00a0" not in text:
        return text
    return _WRAP_SPACE.sub(_space_or_nothing, text)


def _space_or_nothing(match: re.Match) -> str:
    text = match.string
    left, right = text[match.start() - 1], text[match.end()]
    if is_wide(left) or is_wide(right):
        other = right if is_wide(left) else left
        if is_wide(other) or other.isdigit() or other in _ASCII_PUNCTUATION:
            return ""
    return match.group()
