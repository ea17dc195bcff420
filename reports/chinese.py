"""Chinese text conversions: traditional to simplified characters (OpenCC) and pinyin (pypinyin).

Residents type traditional characters (a unit's name as a Hong Kong or Taiwan keyboard gives
it) or pinyin on a phone keyboard; reports are written in simplified characters. Both
libraries are loaded once per process, on first use: pypinyin's dictionaries take some 50 MB,
and only the processes that store words (publishing, the admin) ever need them.
"""

import functools
import re

import opencc

# Only Han characters have a reading; anything else has no pinyin and ends a syllable run.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.cache
def _traditional_to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """``text`` with traditional characters written as simplified ones (phrase-aware: 覆議 → 复议)."""
    return _traditional_to_simplified().convert(text) if text else text


def is_han(text: str) -> bool:
    """Whether every character of ``text`` is a Han character (and there is at least one)."""
    return bool(text) and all(_HAN.match(character) for character in text)


def syllables(text: str) -> list[str]:
    """The pinyin of each character of a Han-only ``text``, toneless and lower case (法治 → fa, zhi)."""
    from pypinyin import Style, lazy_pinyin  # loaded on first use (see the module's docstring)

    return lazy_pinyin(text, style=Style.NORMAL, errors="ignore", v_to_u=False)
