"""Side-by-side comparison of two revisions, down to the character.

Sections are matched by kind and position (the second "other" section with the second),
items by their headings and, where headings changed, by how alike their text is. Text is
compared as plain text, character by character, because Chinese has no spaces to split
words on. The result holds plain strings only; templates escape every one of them.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.followthrough import measures_of, status_label
from reports.models import DisclosureMode, Report, SectionKind
from reports.numbering import item_number, section_number, subitem_number
from reports.sanitize import html_to_text as _html_to_text

# Items whose texts share fewer character pairs than this are a removal and an
# addition, not one changed item.
PAIRING_THRESHOLD = 0.4

# An unchanged run this short between two changes is folded into them: diffs of
# Chinese text otherwise break into confetti around common characters such as 的 and ，.
SHORT_EQUAL_RUN = 1

# Leading characters that stand in for a missing item heading when aligning items.
KEY_LENGTH = 30


# Most of two neighbouring revisions is the same text; parsing each distinct piece of
# HTML once, across comparisons too, is what keeps a 50-item comparison fast.
html_to_text = lru_cache(maxsize=2048)(_html_to_text)


class ChangeStatus(models.TextChoices):
    ADDED = "added", _("新增")
    REMOVED = "removed", _("删除")
    CHANGED = "changed", _("修改")
    UNCHANGED = "unchanged", _("未改动")


@dataclass
class TextDiff:
    """One text on both sides as runs of (kind, text).

    ``old`` runs are "equal" or "delete"; ``new`` runs are "equal" or "insert".
    """

    old: list[tuple[str, str]]
    new: list[tuple[str, str]]

    @property
    def changed(self) -> bool:
        return any(kind != "equal" for kind, _text in self.old + self.new)


@dataclass
class ItemChange:
    status: ChangeStatus
    old_number: str
    new_number: str
    heading: TextDiff
    body: TextDiff
    children: list["ItemChange"] = field(default_factory=list)


@dataclass
class SectionChange:
    status: ChangeStatus
    kind_label: str
    old_number: str
    new_number: str
    heading: TextDiff
    intro: TextDiff
    items: list[ItemChange]

    @property
    def rows(self) -> list[tuple[ItemChange, bool]]:
        """Items and their sub-items in reading order, as (change, is_sub_item), for one flat table."""
        return [(row, row is not item) for item in self.items for row in (item, *item.children)]


@dataclass
class FieldChange:
    label: str
    diff: TextDiff


@dataclass
class Comparison:
    fields: list[FieldChange]
    sections: list[SectionChange]

    def _items(self):
        for section in self.sections:
            for item in section.items:
                yield item
                yield from item.children

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many items were added, removed and changed (sub-items included)."""
        counts = dict.fromkeys(ChangeStatus.values, 0)
        for item in self._items():
            counts[item.status] += 1
        return counts

    @cached_property
    def section_counts(self) -> dict[str, int]:
        """How many sections were added, removed and changed: a new part with no items yet is still a change."""
        counts = dict.fromkeys(ChangeStatus.values, 0)
        for section in self.sections:
            counts[section.status] += 1
        return counts

    @cached_property
    def changed_fields(self) -> list[FieldChange]:
        return [change for change in self.fields if change.diff.changed]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_fields) or any(section.status != ChangeStatus.UNCHANGED for section in self.sections)


def diff_text(old: str, new: str) -> TextDiff:
    """Character-level diff of two plain texts."""
    if old == new:
        return TextDiff(old=[("equal", old)] if old else [], new=[("equal", new)] if new else [])
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for index in range(1, len(opcodes) - 1):
        tag, i1, i2, j1, j2 = opcodes[index]
        if tag == "equal" and i2 - i1 <= SHORT_EQUAL_RUN:
            opcodes[index] = ("replace", i1, i2, j1, j2)
    old_side: list[tuple[str, str]] = []
    new_side: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            _append(old_side, "equal", old[i1:i2])
            _append(new_side, "equal", new[j1:j2])
        else:
            _append(old_side, "delete", old[i1:i2])
            _append(new_side, "insert", new[j1:j2])
    return TextDiff(old=old_side, new=new_side)


def _append(side: list[tuple[str, str]], kind: str, text: str) -> None:
    if not text:
        return
    if side and side[-1][0] == kind:
        side[-1] = (kind, side[-1][1] + text)
    else:
        side.append((kind, text))


def _whole(text: str, kind: str) -> list[tuple[str, str]]:
    return [(kind, text)] if text else []


def _added(text: str) -> TextDiff:
    return TextDiff(old=[], new=_whole(text, "insert"))


def _removed(text: str) -> TextDiff:
    return TextDiff(old=_whole(text, "delete"), new=[])


@dataclass
class _Text:
    """An item or section reduced to the plain texts the comparison works on."""

    heading: str
    body: str
    children: list["_Text"]

    @property
    def key(self) -> str:
        return self.heading or self.body[:KEY_LENGTH]

    @cached_property
    def bigrams(self) -> set[str]:
        text = self.heading + "\n" + self.body
        return {text[i : i + 2] for i in range(len(text) - 1)}


def _item_text(item: dict) -> _Text:
    return _Text(
        heading=item["heading"],
        body=html_to_text(item["body"]),
        children=[_item_text(child) for child in item.get("children", [])],
    )


def _similarity(a: _Text, b: _Text) -> float:
    """Dice coefficient of character pairs: cheap, and telling for Chinese text."""
    a_pairs, b_pairs = a.bigrams, b.bigrams
    if not a_pairs and not b_pairs:
        return 1.0
    return 2 * len(a_pairs & b_pairs) / (len(a_pairs) + len(b_pairs))


def _pair_by_similarity(old: list[_Text], new: list[_Text]) -> list[tuple[int | None, int | None]]:
    """Order-preserving pairing of two runs of items that maximises total similarity."""
    rows, cols = len(old), len(new)
    score = [[0.0] * (cols + 1) for _row in range(rows + 1)]
    similar = {}
    for i in range(rows):
        for j in range(cols):
            value = _similarity(old[i], new[j])
            if value >= PAIRING_THRESHOLD:
                similar[i, j] = value
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if (i, j) in similar:
                best = max(best, score[i + 1][j + 1] + similar[i, j])
            score[i][j] = best
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < rows and j < cols:
        if (i, j) in similar and score[i][j] == score[i + 1][j + 1] + similar[i, j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, rows)] + [(None, k) for k in range(j, cols)]
    return pairs


def _align(old: list[_Text], new: list[_Text]) -> list[tuple[int | None, int | None]]:
    """Pairs of old and new positions in document order; None where an item has no counterpart."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, [item.key for item in old], [item.key for item in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            block = _pair_by_similarity(old[i1:i2], new[j1:j2])
            pairs += [(None if i is None else i1 + i, None if j is None else j1 + j) for i, j in block]
    return pairs


def _compare_items(old: list[_Text], new: list[_Text], number) -> list[ItemChange]:
    changes = []
    for i, j in _align(old, new):
        if j is None:
            item = old[i]
            changes.append(
                ItemChange(
                    status=ChangeStatus.REMOVED,
                    old_number=number(i + 1),
                    new_number="",
                    heading=_removed(item.heading),
                    body=_removed(item.body),
                    children=_compare_items(item.children, [], subitem_number),
                )
            )
        elif i is None:
            item = new[j]
            changes.append(
                ItemChange(
                    status=ChangeStatus.ADDED,
                    old_number="",
                    new_number=number(j + 1),
                    heading=_added(item.heading),
                    body=_added(item.body),
                    children=_compare_items([], item.children, subitem_number),
                )
            )
        else:
            heading = diff_text(old[i].heading, new[j].heading)
            body = diff_text(old[i].body, new[j].body)
            children = _compare_items(old[i].children, new[j].children, subitem_number)
            changed = heading.changed or body.changed or any(c.status != ChangeStatus.UNCHANGED for c in children)
            changes.append(
                ItemChange(
                    status=ChangeStatus.CHANGED if changed else ChangeStatus.UNCHANGED,
                    old_number=number(i + 1),
                    new_number=number(j + 1),
                    heading=heading,
                    body=body,
                    children=children,
                )
            )
    return changes


def _section_keys(sections: list[dict]) -> list[tuple[str, int]]:
    """(kind, occurrence) for each section: the n-th section of a kind matches the n-th."""
    seen: dict[str, int] = {}
    keys = []
    for section in sections:
        seen[section["kind"]] = seen.get(section["kind"], 0) + 1
        keys.append((section["kind"], seen[section["kind"]]))
    return keys


def _kind_label(kind: str) -> str:
    return SectionKind(kind).label if kind in SectionKind.values else kind


def _compare_sections(old: list[dict], new: list[dict]) -> list[SectionChange]:
    old_keys, new_keys = _section_keys(old), _section_keys(new)
    old_index = {key: index for index, key in enumerate(old_keys)}
    # (position among old sections, change): removed sections are placed after the
    # surviving section that preceded them.
    placed: list[tuple[int, SectionChange]] = []
    for j, (key, section) in enumerate(zip(new_keys, new, strict=True)):
        new_items = [_item_text(item) for item in section["items"]]
        i = old_index.get(key)
        if i is None:
            change = SectionChange(
                status=ChangeStatus.ADDED,
                kind_label=_kind_label(section["kind"]),
                old_number="",
                new_number=section_number(j + 1),
                heading=_added(section["heading"]),
                intro=_added(html_to_text(section["intro"])),
                items=_compare_items([], new_items, item_number),
            )
        else:
            items = _compare_items([_item_text(item) for item in old[i]["items"]], new_items, item_number)
            heading = diff_text(old[i]["heading"], section["heading"])
            intro = diff_text(html_to_text(old[i]["intro"]), html_to_text(section["intro"]))
            changed = heading.changed or intro.changed or any(c.status != ChangeStatus.UNCHANGED for c in items)
            change = SectionChange(
                status=ChangeStatus.CHANGED if changed else ChangeStatus.UNCHANGED,
                kind_label=_kind_label(section["kind"]),
                old_number=section_number(i + 1),
                new_number=section_number(j + 1),
                heading=heading,
                intro=intro,
                items=items,
            )
        placed.append((i if i is not None else -1, change))
    new_key_set = set(new_keys)
    for i, (key, section) in enumerate(zip(old_keys, old, strict=True)):
        if key in new_key_set:
            continue
        change = SectionChange(
            status=ChangeStatus.REMOVED,
            kind_label=_kind_label(section["kind"]),
            old_number=section_number(i + 1),
            new_number="",
            heading=_removed(section["heading"]),
            intro=_removed(html_to_text(section["intro"])),
            items=_compare_items([_item_text(item) for item in section["items"]], [], item_number),
        )
        after = max((p for p, (old_i, _c) in enumerate(placed) if old_i != -1 and old_i < i), default=-1)
        placed.insert(after + 1, (i, change))
    return [change for _i, change in placed]


def _field_texts(content: dict) -> list[tuple[str, str]]:
    def label(name: str) -> str:
        return str(Report._meta.get_field(name).verbose_name)

    mode = content["disclosure_mode"]
    return [
        (label("title"), content["title"]),
        (label("index_number"), content["index_number"]),
        (label("source"), content["source"]),
        (label("signing_date"), content["signing_date"] or ""),
        (label("disclosure_mode"), str(DisclosureMode(mode).label) if mode in DisclosureMode.values else mode),
        (label("topic_category"), content["topic_category"]),
        (label("tags"), "，".join(content["tags"])),
        (label("preamble"), html_to_text(content["preamble"])),
        (label("signatories"), "\n".join(content["signatories"])),
        (
            str(_("相关附件")),
            "\n".join(f"{a['name']}（SHA-256 {a['sha256'][:12]}）" for a in content["attachments"]),
        ),
        (str(_("上年工作安排落实情况")), _plan_review_text(content)),
    ]


def _plan_review_text(content: dict) -> str:
    """One line per plan: number, plan, status, note and the numbers of the measures carrying it out."""
    plan_review = content.get("plan_review")
    if not plan_review:
        return ""
    numbers = {measure.key: measure.number for measure in measures_of(content)}
    lines = []
    for entry in plan_review["items"]:
        measures = "、".join(numbers[key] for key in entry["measure_keys"] if key in numbers)
        line = f"{item_number(entry['position'])}{entry['plan_text']}：{status_label(entry['status'])}"
        if entry["note"]:
            line += f"；{entry['note']}"
        if measures:
            line += f"；{_('对应举措')}{measures}"
        lines.append(line)
    return "\n".join(lines)


def compare(old: dict, new: dict) -> Comparison:
    """Compare two snapshots (``Revision.content``), ``old`` on the left and ``new`` on the right."""
    fields = [
        FieldChange(label=label, diff=diff_text(old_text, new_text))
        for (label, old_text), (_label, new_text) in zip(_field_texts(old), _field_texts(new), strict=True)
    ]
    return Comparison(fields=fields, sections=_compare_sections(old["sections"], new["sections"]))
