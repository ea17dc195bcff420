"""What a check finds, and the walk over every text of a report that the detectors run on.

A ``Finding`` points into the plain text of one part of a report (its title, a heading,
the text of a rich-text field, the signatories, an attachment's name); ``check_content``
walks a revision's snapshot and runs every detector over every part. Offsets are Python
string indices (code points) into that part's plain text.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.checking.models import Severity
from reports.numbering import item_number, section_number, subitem_number
from reports.sanitize import html_to_text


class FindingKind(models.TextChoices):
    # Word lists: the kind is the entry's category.
    INSTITUTION = "institution", gettext_lazy("机构名称")
    TERM = "term", gettext_lazy("规范表述")
    TYPO = "typo", gettext_lazy("常见错别字")
    OTHER = "other", gettext_lazy("其他")
    # Personal data.
    ID_NUMBER = "id_number", gettext_lazy("身份证号码")
    MOBILE_NUMBER = "mobile_number", gettext_lazy("手机号码")
    BANK_CARD = "bank_card", gettext_lazy("银行卡号")
    CREDIT_CODE = "credit_code", gettext_lazy("统一社会信用代码")
    # Structure and consistency.
    HEADING_NUMBER = "heading_number", gettext_lazy("标题编号")
    YEAR_MISMATCH = "year_mismatch", gettext_lazy("年度不一致")
    IMPOSSIBLE_DATE = "impossible_date", gettext_lazy("日期错误")
    MISSING_PART = "missing_part", gettext_lazy("缺少必备部分")
    BROKEN_LINK = "broken_link", gettext_lazy("链接无法打开")
    IMAGE_ALT = "image_alt", gettext_lazy("图片缺少说明")


PERSONAL_DATA = frozenset(
    {FindingKind.ID_NUMBER, FindingKind.MOBILE_NUMBER, FindingKind.BANK_CARD, FindingKind.CREDIT_CODE}
)

# Where a sentence ends, for the context shown around a finding.
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
CONTEXT_LIMIT = 60


@dataclass(frozen=True)
class Finding:
    """One problem at ``start:end`` of a part's plain text (``text`` is what is there)."""

    start: int
    end: int
    text: str
    kind: str
    severity: str
    suggestion: str
    rule: str
    message: str = ""
    field: str = ""  # which text of the report: "title", "sections.0.items.1.body", …
    location: str = ""  # the same for people: "一、（二）正文"
    context: str = ""  # the sentence around the finding
    context_start: int = 0  # where ``context`` starts in the part's text

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK

    @property
    def fingerprint(self) -> str:
        """Stable while the sentence it is in stays the same, wherever that sentence moves."""
        key = "\x1f".join((self.rule, self.text, self.context))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    @property
    def kind_label(self) -> str:
        return str(FindingKind(self.kind).label) if self.kind in FindingKind.values else self.kind

    @property
    def display_text(self) -> str:
        """The text as it may be written down elsewhere: personal data masked."""
        if self.kind not in PERSONAL_DATA:
            return self.text
        compact = self.text.replace(" ", "").replace("-", "")
        keep_start = 3 if self.kind == FindingKind.MOBILE_NUMBER else 4
        if len(compact) <= keep_start + 4:
            return "*" * len(compact)
        return compact[:keep_start] + "*" * (len(compact) - keep_start - 4) + compact[-4:]

    @property
    def highlighted(self) -> tuple[str, str, str]:
        """The context split around the finding: (before, the finding, after)."""
        at, to = self.start - self.context_start, self.end - self.context_start
        if not self.context or at < 0 or to > len(self.context):
            return "", self.text, ""
        return self.context[:at], self.context[at:to], self.context[to:]

    def as_json(self) -> dict:
        """The fields ``check_text`` prints, one object per line."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": str(self.kind),
            "severity": str(self.severity),
            "suggestion": self.suggestion,
            "rule": self.rule,
        }


class PartKind(StrEnum):
    TITLE = "title"
    HEADING = "heading"
    RICH = "rich"
    LINES = "lines"
    NAME = "name"
    DOCUMENT = "document"  # a whole text given to ``check_text``


@dataclass(frozen=True)
class Part:
    """One text of a report, as plain text, with the rich text it came from."""

    field: str
    location: str
    text: str
    kind: str
    html: str = ""
    extra: dict = field(default_factory=dict)


def sentence_around(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence holding ``text[start:end]`` (at most CONTEXT_LIMIT characters either side) and its start."""
    left = max(0, start - CONTEXT_LIMIT)
    before = text[left:start]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        left += ends[-1].end()
    right_limit = min(len(text), end + CONTEXT_LIMIT)
    after = _SENTENCE_END.search(text, end, right_limit)
    right = after.end() if after else right_limit
    return text[left:right].rstrip("\n"), left


def in_context(finding: Finding, part: Part) -> Finding:
    context, context_start = sentence_around(part.text, finding.start, finding.end)
    return replace(finding, field=part.field, location=part.location, context=context, context_start=context_start)


def report_parts(content: dict) -> Iterator[Part]:
    """Every text of a snapshot, in reading order, with where it is in words a clerk knows."""
    yield Part("title", _("标题"), content["title"], PartKind.TITLE)
    yield _rich("preamble", _("导语"), content["preamble"])
    for s_index, section in enumerate(content["sections"]):
        number = section_number(s_index + 1)
        yield Part(f"sections.{s_index}.heading", number + _("标题"), section["heading"], PartKind.HEADING)
        yield _rich(f"sections.{s_index}.intro", number + _("引言"), section["intro"])
        for i_index, item in enumerate(section["items"]):
            item_place = number + item_number(i_index + 1)
            path = f"sections.{s_index}.items.{i_index}"
            yield Part(f"{path}.heading", item_place + _("标题"), item["heading"], PartKind.HEADING)
            yield _rich(f"{path}.body", item_place + _("正文"), item["body"])
            for c_index, child in enumerate(item["children"]):
                child_place = item_place + subitem_number(c_index + 1)
                child_path = f"{path}.children.{c_index}"
                yield Part(f"{child_path}.heading", child_place + _("标题"), child["heading"], PartKind.HEADING)
                yield _rich(f"{child_path}.body", child_place + _("正文"), child["body"])
    yield Part("signatories", _("落款"), "\n".join(content["signatories"]), PartKind.LINES)
    for a_index, attachment in enumerate(content["attachments"]):
        yield Part(
            f"attachments.{a_index}.name",
            _("附件名称"),
            attachment["name"],
            PartKind.NAME,
            extra={"content_type": attachment.get("content_type", "")},
        )


def _rich(field_name: str, location: str, html: str) -> Part:
    return Part(field_name, location, html_to_text(html), PartKind.RICH, html=html or "")
