"""What a check finds, and the walk over every text of a report that the detectors run on.

A ``Finding`` points into the plain text of one part of a report (its title, a heading,
the text of a rich-text field, the signatories, an attachment's name); ``report_parts``
walks a revision's snapshot into those parts, and ``checker.check_content`` runs every
detector over each. Offsets are Python
string indices (code points) into that part's plain text.
"""

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import lxml.etree
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.checking.models import Severity
from reports.numbering import item_number, section_number, subitem_number
from reports.sanitize import BLOCK_TAGS, CELL_TAGS, html_to_text


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


@dataclass
class Finding:
    """One problem at ``start:end`` of a part's plain text (``text`` is what is there).

    Detectors make findings from a text alone; ``Part.place`` then says where in the
    report they are (set once, before anyone else sees them).
    """

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

    @cached_property
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
    section: int | None = None  # the section whose content this is (not its own heading)

    def place(self, findings: list[Finding]) -> list[Finding]:
        """Give findings in this part's text their place in the report and the sentence around them."""
        sentences = _Sentences(self.text) if findings else None
        for finding in findings:
            finding.field, finding.location = self.field, self.location
            finding.context, finding.context_start = sentences.around(finding.start, finding.end)
        return findings


class _Sentences:
    """Where the sentences of one text end, found once for all the findings in it."""

    def __init__(self, text: str):
        self.text = text
        self.ends = [match.end() for match in _SENTENCE_END.finditer(text)]

    def around(self, start: int, end: int) -> tuple[str, int]:
        """The sentence holding ``text[start:end]`` (at most CONTEXT_LIMIT characters either side) and its start."""
        before = bisect_right(self.ends, start) - 1
        left = max(self.ends[before] if before >= 0 else 0, start - CONTEXT_LIMIT)
        after = bisect_right(self.ends, end)
        right = min(self.ends[after] if after < len(self.ends) else len(self.text), end + CONTEXT_LIMIT)
        return self.text[left:right].rstrip("\n"), left


def report_parts(content: dict) -> Iterator[Part]:
    """Every text of a snapshot, in reading order, with where it is in words a clerk knows."""
    # Translated once per walk, not once per item: a long report has hundreds of parts.
    heading, intro, body = _("标题"), _("引言"), _("正文")
    yield Part("title", heading, content["title"], PartKind.TITLE)
    yield _rich("preamble", _("导语"), content["preamble"])
    for s_index, section in enumerate(content["sections"]):
        number = section_number(s_index + 1)
        yield Part(f"sections.{s_index}.heading", number + heading, section["heading"], PartKind.HEADING)
        yield _rich(f"sections.{s_index}.intro", number + intro, section["intro"], s_index)
        for i_index, item in enumerate(section["items"]):
            item_place = number + item_number(i_index + 1)
            path = f"sections.{s_index}.items.{i_index}"
            yield Part(f"{path}.heading", item_place + heading, item["heading"], PartKind.HEADING, section=s_index)
            yield _rich(f"{path}.body", item_place + body, item["body"], s_index)
            for c_index, child in enumerate(item["children"]):
                child_place = item_place + subitem_number(c_index + 1)
                child_path = f"{path}.children.{c_index}"
                yield Part(
                    f"{child_path}.heading", child_place + heading, child["heading"], PartKind.HEADING, section=s_index
                )
                yield _rich(f"{child_path}.body", child_place + body, child["body"], s_index)
    yield Part("signatories", _("落款"), "\n".join(content["signatories"]), PartKind.LINES)
    attachment_name = _("附件名称")
    for a_index, attachment in enumerate(content["attachments"]):
        yield Part(
            f"attachments.{a_index}.name",
            attachment_name,
            attachment["name"],
            PartKind.NAME,
            extra={"content_type": attachment.get("content_type", "")},
        )


def _rich(field_name: str, location: str, html: str, section: int | None = None) -> Part:
    return Part(field_name, location, rich_text(html), PartKind.RICH, html=html or "", section=section)


def rich_text(html: str) -> str:
    """The lines ``sanitize.html_to_text`` gives, read with lxml's C parser.

    Stored rich text is sanitized, well-formed HTML: html5lib's browser-exact parsing,
    which sanitizing hostile input needs, costs ten times more here and would take the
    check of a long report past its budget. A test holds the two to the same lines.
    """
    if not html or not html.strip():
        return ""
    if "<!" in html or "<?" in html:
        # Comments and declarations are never stored (the sanitizer strips them); iterwalk would drop their tails.
        return html_to_text(html)
    # lxml's default HTML parser is one per thread; the wrapping div is a block, like the fragment's edges.
    try:
        root = lxml.etree.HTML("<div>" + html + "</div>")
    except (ValueError, lxml.etree.LxmlError):
        # Not what the sanitizer stores (control characters, say): read it the slow, forgiving way.
        return html_to_text(html)
    if root is None:
        return ""
    pieces: list[str] = []
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if isinstance(tag, str):
            # Like html_to_text, a block ends a line where it opens and where it closes.
            pieces.append("\n" if tag in BLOCK_TAGS else " " if tag in CELL_TAGS else "")
            if event == "start":
                if element.text:
                    pieces.append(element.text)
                continue
        if event == "end" and element.tail:
            pieces.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(pieces).splitlines())
    return "\n".join(line for line in lines if line)
