"""Chinese numerals and the heading numbers of official documents (一、 （一） 1.).

Every place that prints or reads a heading number goes through this module, so the
public pages, the admin, the fixtures and the importer agree on one spelling.
"""

DIGITS = "零一二三四五六七八九"

# Characters that may spell a numeral in a heading; the importer uses this to find
# headings and then asks ``parse_chinese_numeral`` whether the spelling is valid.
NUMERAL_CHARS = DIGITS + "〇十百"

MAX_NUMERAL = 999


def chinese_numeral(n: int) -> str:
    """Spell 1..999 the way official documents do: 十, 十一, 二十一, 一百零一, 一百一十."""
    if not 1 <= n <= MAX_NUMERAL:
        raise ValueError(f"chinese_numeral() takes 1..{MAX_NUMERAL}, got {n!r}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if not hundreds:
        tens_part = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
        return tens_part + (DIGITS[ones] if ones else "")
    spelled = DIGITS[hundreds] + "百"
    if tens:
        # After a hundred the ten keeps its digit: 一百一十, not 一百十.
        spelled += DIGITS[tens] + "十"
    elif ones:
        spelled += "零"
    return spelled + (DIGITS[ones] if ones else "")


# A table rather than an arithmetic parser: it accepts exactly what chinese_numeral
# writes, so malformed spellings such as 十十 or 二一 are rejected, not guessed at.
_VALUES = {chinese_numeral(n): n for n in range(1, MAX_NUMERAL + 1)}


def parse_chinese_numeral(value: str) -> int:
    """Read a numeral written by ``chinese_numeral`` (〇 is accepted for 零)."""
    normalized = value.strip().replace("〇", "零")
    try:
        return _VALUES[normalized]
    except KeyError:
        raise ValueError(f"not a Chinese numeral: {value!r}") from None


def parse_chinese_digits(value: str) -> int:
    """Read digit-by-digit numerals as years are written: 二〇二〇 → 2020."""
    normalized = value.strip().replace("〇", "零")
    if not normalized or any(char not in DIGITS for char in normalized):
        raise ValueError(f"not a sequence of Chinese digits: {value!r}")
    return int("".join(str(DIGITS.index(char)) for char in normalized))


def section_number(n: int) -> str:
    """First-level heading number: 一、"""
    return chinese_numeral(n) + "、"


def item_number(n: int) -> str:
    """Second-level heading number in full-width parentheses: （一）"""
    return "（" + chinese_numeral(n) + "）"


def subitem_number(n: int) -> str:
    """Third-level heading number: 1."""
    if n < 1:
        raise ValueError(f"subitem_number() takes a positive number, got {n!r}")
    return f"{n}."
