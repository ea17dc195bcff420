"""上年工作安排落实情况: last year's plans as its public revision has them, and this year's measures.

Report Y says what came of the plans (下一年度工作安排) of the same unit's report Y-1. The
plans are read from Y-1's PUBLIC revision only — what residents were promised — and named
by their item key (``Item.key``). A schema 1 revision has no keys: its plans are named by
position (``position-N``), which is stable because a revision never changes.

Everything here reads snapshots (``Revision.content``), so the admin, the public pages and
the open data API agree on what a plan, a measure and their numbers are.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.models import PlanStatus, Report, Revision, SectionKind
from reports.numbering import item_number, subitem_number
from reports.sanitize import html_to_text

# A plan without a heading is named by the opening of its text.
PLAN_TEXT_LENGTH = 120


@dataclass(frozen=True)
class Plan:
    """One top-level item of a snapshot's 下一年度工作安排."""

    key: str
    position: int
    text: str
    heading: str = ""
    body: str = ""

    @property
    def number(self) -> str:
        return item_number(self.position)


@dataclass(frozen=True)
class Measure:
    """An item (or sub-item) of a snapshot's 主要举措和成效, numbered as the article numbers it."""

    key: str
    number: str
    heading: str
    body: str


def _sections(content: dict, kind: str) -> list[dict]:
    return [section for section in content.get("sections", []) if section.get("kind") == kind]


def plan_text(item: dict) -> str:
    """What a plan says in one line: its heading, or the opening of its text."""
    heading = (item.get("heading") or "").strip()
    if heading:
        return heading
    text = " ".join(html_to_text(item.get("body") or "").split())
    return text if len(text) <= PLAN_TEXT_LENGTH else text[: PLAN_TEXT_LENGTH - 1] + "…"


def plans_of(content: dict) -> list[Plan]:
    """The plans (下一年度工作安排, top-level items) of a snapshot, in order."""
    items = [item for section in _sections(content, SectionKind.PLANS) for item in section["items"]]
    return [
        Plan(
            key=item.get("key") or f"position-{position}",
            position=position,
            text=plan_text(item),
            heading=item.get("heading") or "",
            body=item.get("body") or "",
        )
        for position, item in enumerate(items, start=1)
    ]


def measures_of(content: dict) -> list[Measure]:
    """The measures (主要举措和成效) of a snapshot with their sub-items, in reading order.

    Items without a key (schema 1) cannot be linked to and are left out.
    """
    measures = []
    for section in _sections(content, SectionKind.MEASURES):
        for position, item in enumerate(section["items"], start=1):
            number = item_number(position)
            if item.get("key"):
                measures.append(Measure(item["key"], number, item["heading"], item["body"]))
            for child_position, child in enumerate(item["children"], start=1):
                if child.get("key"):
                    child_number = number + subitem_number(child_position)
                    measures.append(Measure(child["key"], child_number, child["heading"], child["body"]))
    return measures


def status_label(status: str) -> str:
    """已完成 for "done"; an empty status is a plan the report says nothing about."""
    if status in PlanStatus.values:
        return str(PlanStatus(status).label)
    return str(_("未说明"))


def previous_public_revision(report: Report) -> Revision | None:
    """The public revision of the same unit's report of the year before, if there is one."""
    previous = (
        Report.objects.published()
        .filter(organization=report.organization_id, year=report.year - 1)
        .values_list("public_revision_id", flat=True)
        .first()
    )
    return Revision.objects.filter(pk=previous).first() if previous else None


def follow_through_rows(content: dict) -> list[dict]:
    """The rows of a snapshot's 上年工作安排落实情况 table: plan, status, note and the measures carrying it out."""
    plan_review = content.get("plan_review")
    if not plan_review:
        return []
    numbers = {measure.key: measure.number for measure in measures_of(content)}
    return [
        {
            "key": entry["plan_key"],
            "number": item_number(entry["position"]),
            "plan_text": entry["plan_text"],
            "status": entry["status"],
            "status_label": status_label(entry["status"]),
            "note": entry["note"],
            "measures": [{"key": key, "number": numbers[key]} for key in entry["measure_keys"] if key in numbers],
        }
        for entry in plan_review["items"]
    ]
