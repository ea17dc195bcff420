"""Personal data that must not be published: ID numbers, mobile numbers, bank cards, credit codes.

Each candidate is confirmed by its own check (python-stdnum): an 18-digit resident ID
number by its birth date and check digit (GB 11643), a unified social credit code by its
check character (GB 32100), a bank card by the Luhn check. A number that fails its check
is not flagged, so amounts and serial numbers pass. Findings are block-level: a published
ID number cannot be unpublished from every crawler that copied the page.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import luhn
from stdnum.cn import ric, uscc

from reports.checking.findings import Finding, FindingKind
from reports.checking.models import Severity

SEVERITY = Severity.BLOCK

# 18 characters of digits and capitals (an ID number's last may be x), not inside a longer code.
_CODE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{17}[0-9A-Za-z](?![0-9A-Za-z])")
# 16 to 19 digits, optionally grouped with single spaces or hyphens as cards are printed.
_CARD = re.compile(r"(?<![0-9A-Za-z\-])\d{4}(?:[ \-]?\d){12,15}(?![0-9A-Za-z]|-\d)", re.ASCII)
# A mainland mobile number, optionally with +86 and spaced 3-4-4, never inside a longer run of digits.
_MOBILE = re.compile(r"(?<![0-9A-Za-z+\-])(?:\+?86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}(?![0-9A-Za-z]|-\d)", re.ASCII)
# Every kind has at least this many digits (a credit code's region code is six), so texts with fewer are skipped.
_MIN_DIGITS = 6

_MESSAGES = {
    FindingKind.ID_NUMBER: gettext_lazy("公开的页面不得含有居民身份证号码。"),
    FindingKind.CREDIT_CODE: gettext_lazy("统一社会信用代码可能指向个体工商户等个人，公开前请确认。"),
    FindingKind.BANK_CARD: gettext_lazy("公开的页面不得含有银行卡号。"),
    FindingKind.MOBILE_NUMBER: gettext_lazy("公开的页面不得含有个人手机号码，如需公布请使用办公电话。"),
}


def find(text: str) -> list[Finding]:
    """Personal data in ``text``; where two readings overlap the first found here wins (ID before card)."""
    if not text or sum(map(text.count, "0123456789")) < _MIN_DIGITS:
        return []
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match, kind: str, suggestion: str) -> None:
        start, end = match.span()
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        findings.append(
            Finding(
                start=start,
                end=end,
                text=match[0],
                kind=kind,
                severity=SEVERITY,
                suggestion=suggestion,
                rule=f"personal_data.{kind}",
                message=str(_MESSAGES[kind]),
            )
        )

    for match in _CODE.finditer(text):
        code = match[0].upper()
        if ric.is_valid(code):
            add(match, FindingKind.ID_NUMBER, _("删除或隐去身份证号码"))
        elif uscc.is_valid(code):
            add(match, FindingKind.CREDIT_CODE, _("确属个人的，删除或隐去统一社会信用代码"))
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match[0])
        if 16 <= len(digits) <= 19 and luhn.is_valid(digits):
            add(match, FindingKind.BANK_CARD, _("删除或隐去银行卡号"))
    for match in _MOBILE.finditer(text):
        add(match, FindingKind.MOBILE_NUMBER, _("删除手机号码，或改为办公电话"))
    return sorted(findings, key=lambda finding: finding.start)
