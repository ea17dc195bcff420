"""Snapshots of a report's content, and the append-only revisions made from them.

The public article, staff previews and the auditors' revision view all render a snapshot,
so what was reviewed is exactly what residents read.
"""

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from reports.followthrough import measures_of
from reports.history.hashchain import chained_hash, revision_payload
from reports.models import Attachment, Item, PlanReview, Report, Revision, RevisionTag, Section
from reports.sanitize import html_to_text, sanitize_html

# 1: sections, items, attachments, tags. 2: each item also has its stable "key" (Item.key),
# and "plan_review" says what came of last year's plans (PlanReview), or is None.
# Revisions keep the schema they were written with: every reader accepts both.
SNAPSHOT_SCHEMA = 2


def _item_snapshot(item: Item, children: list[Item]) -> dict:
    return {
        "key": str(item.key),
        "heading": item.heading,
        "body": item.body,
        "children": [_item_snapshot(child, []) for child in children],
    }


def snapshot(report: Report) -> dict:
    """The complete content of a report's working copy as plain JSON data."""
    sections = report.sections.prefetch_related(Prefetch("items", queryset=Item.objects.order_by("order", "pk")))
    section_data = []
    for section in sections:
        items = list(section.items.all())
        children: dict[int, list[Item]] = {}
        for item in items:
            if item.parent_id:
                children.setdefault(item.parent_id, []).append(item)
        section_data.append(
            {
                "kind": section.kind,
                "heading": section.heading,
                "intro": section.intro,
                "items": [_item_snapshot(item, children.get(item.pk, [])) for item in items if not item.parent_id],
            }
        )
    return content_of(
        report,
        sections=section_data,
        tags=sorted(tag.name for tag in report.tags.all()),
        attachments=report.attachments.attached(),
        plan_review=_plan_review_snapshot(report, section_data),
    )


def _plan_review_snapshot(report: Report, sections: list[dict]) -> dict | None:
    """The report's 上年工作安排落实情况, with links only to measures the snapshot has."""
    reviews = list(report.plan_reviews.all())
    if not reviews:
        return None
    source = Revision.objects.values("pk", "hash").get(pk=reviews[0].plan_revision_id)
    linkable = {measure.key for measure in measures_of({"sections": sections})}
    return {
        "previous": {"year": report.year - 1, "revision": source["pk"], "hash": source["hash"]},
        "items": [
            {
                "plan_key": review.plan_key,
                "position": review.position,
                "plan_text": review.plan_text,
                "status": review.status,
                "note": review.note,
                "measure_keys": [key for key in review.measure_keys if key in linkable],
            }
            for review in reviews
        ],
    }


def content_of(
    report: Report, *, sections: list[dict], tags: list[str], attachments, plan_review: dict | None = None
) -> dict:
    """The snapshot dict of a report, given its already-serialised sections and sorted tag names."""
    organization = report.organization
    return {
        "schema": SNAPSHOT_SCHEMA,
        "organization": {
            "id": organization.pk,
            "name": organization.name,
            "short_name": organization.short_name,
            "slug": organization.slug,
        },
        "year": report.year,
        "title": str(report),
        "preamble": report.preamble,
        "source": report.source,
        "signing_date": report.signing_date.isoformat() if report.signing_date else None,
        "signatories": report.signatory_list,
        "index_number": report.index_number,
        "disclosure_mode": report.disclosure_mode,
        "topic_category": report.topic_category,
        "tags": tags,
        "sections": sections,
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.display_name,
                "size": attachment.size,
                "content_type": attachment.content_type,
                "sha256": attachment.sha256,
            }
            for attachment in attachments
        ],
        "plan_review": plan_review,
    }


def search_text(content: dict) -> str:
    """Plain text of a snapshot, for full-text search."""
    parts = [content["preamble"]]
    for section in content["sections"]:
        parts += [section["heading"], section["intro"]]
        for item in section["items"]:
            parts += [item["heading"], item["body"]]
            for child in item["children"]:
                parts += [child["heading"], child["body"]]
    for entry in (content.get("plan_review") or {}).get("items", []):
        parts += [entry["plan_text"], entry["note"]]
    parts += content["signatories"]
    return "\n".join(html_to_text(part) for part in parts if part)


def save_revision(*, report: Report, user, comment: str = "", state: str | None = None) -> Revision | None:
    """Record the working copy as a new revision; returns None when nothing changed.

    Call inside the transaction that changed the report, after its sections are saved.
    ``state`` is the state the save leaves the report in, when the caller moves it
    afterwards (an edit of a published report is a draft, not a published version).
    """
    content = snapshot(report)
    previous = report.revisions.order_by("-number").first()
    if previous is not None and same_content(previous.content, content):
        return None
    revision = Revision(
        report=report,
        number=previous.number + 1 if previous else 1,
        author=user if user and user.is_authenticated else None,
        created_at=timezone.now(),
        state=state or report.state,
        comment=comment,
        title=content["title"],
        content=content,
        search_text=search_text(content),
        previous_hash=previous.hash if previous else "",
    )
    revision.hash = chained_hash(revision_payload(revision), revision.previous_hash)
    revision.save()
    RevisionTag.objects.bulk_create([RevisionTag(revision=revision, name=name) for name in content["tags"]])
    return revision


def _without_keys(items: list[dict]) -> list[dict]:
    return [
        {name: value for name, value in item.items() if name != "key"} | {"children": _without_keys(item["children"])}
        for item in items
    ]


def same_content(old: dict, new: dict) -> bool:
    """Whether two snapshots say the same thing, though an older schema may spell it with less.

    A schema 1 snapshot has no item keys: the first save after the upgrade that changes no
    text is not a new revision (a published report must not become a draft for it).
    """
    if old.get("schema", 1) == new.get("schema", 1):
        return old == new
    return _as_schema_1(old) == _as_schema_1(new)


def _as_schema_1(content: dict) -> dict:
    """A snapshot without what schema 1 cannot say: item keys, and an empty plan review."""
    if content.get("plan_review"):
        return content
    rest = {name: value for name, value in content.items() if name not in ("schema", "plan_review", "sections")}
    return {
        **rest,
        "sections": [{**section, "items": _without_keys(section["items"])} for section in content["sections"]],
    }


def apply_snapshot(report: Report, content: dict) -> None:
    """Rewrite the working copy's text, fields, tags and attachments from a snapshot (the inverse of ``snapshot``).

    A snapshot names attachments by id and checksum; the rows and files are kept when an
    attachment is removed (``Attachment.detach``), so the ones it names are attached again,
    with the names and order it gives, and the others detached. One the report no longer
    holds (removed before attachments were kept) cannot come back. The index number,
    organization and year identify the report and are never rewritten.
    """
    report.title = content["title"]
    report.preamble = content["preamble"]
    report.source = content["source"]
    report.signing_date = date.fromisoformat(content["signing_date"]) if content["signing_date"] else None
    # The snapshot holds the signatories the public saw; when they were the
    # organization's defaults the report keeps following those defaults.
    signatories = content["signatories"]
    report.signatories = "" if signatories == report.organization.sign_off_list else "\n".join(signatories)
    report.disclosure_mode = content["disclosure_mode"]
    report.topic_category = content["topic_category"]
    report.save()
    report.tags.set(content["tags"], clear=True)
    report.plan_reviews.all().delete()
    plan_review = content.get("plan_review")
    if plan_review:
        PlanReview.objects.bulk_create(
            PlanReview(
                report=report,
                plan_revision_id=plan_review["previous"]["revision"],
                plan_key=entry["plan_key"],
                position=entry["position"],
                plan_text=entry["plan_text"],
                status=entry["status"],
                note=entry["note"],
                measure_keys=entry["measure_keys"],
            )
            for entry in plan_review["items"]
        )
    report.sections.all().delete()
    for section_order, section_data in enumerate(content["sections"]):
        section = Section.objects.create(
            report=report,
            kind=section_data["kind"],
            heading=section_data["heading"],
            intro=section_data["intro"],
            order=section_order,
        )
        for item_order, item_data in enumerate(section_data["items"]):
            parent = Item.objects.create(
                section=section,
                heading=item_data["heading"],
                body=item_data["body"],
                order=item_order,
                **_key(item_data),
            )
            for child_order, child_data in enumerate(item_data["children"]):
                Item.objects.create(
                    section=section,
                    parent=parent,
                    heading=child_data["heading"],
                    body=child_data["body"],
                    order=child_order,
                    **_key(child_data),
                )
    _apply_attachments(report, content["attachments"])


def _apply_attachments(report: Report, entries: list[dict]) -> None:
    named = {(entry["id"], entry["sha256"]): (order, entry["name"]) for order, entry in enumerate(entries)}
    for attachment in report.attachments.all():
        if (attachment.pk, attachment.sha256) not in named:
            if attachment.detached_at is None:
                attachment.detach()
            continue
        order, name = named[attachment.pk, attachment.sha256]
        Attachment.objects.filter(pk=attachment.pk).update(detached_at=None, order=order, display_name=name)


def _key(item_data: dict) -> dict:
    """The item's key as the snapshot has it (schema 2), so a restored item is the same item; else a new one."""
    return {"key": item_data["key"]} if item_data.get("key") else {}


def _clean_item(item: dict) -> dict:
    return {
        **item,
        "body": sanitize_html(item["body"]),
        "children": [_clean_item(child) for child in item.get("children", [])],
    }


def sanitized_content(content: dict) -> dict:
    """A snapshot with its rich text sanitized again, for templates that render it as HTML.

    Snapshots hold text that was sanitized on the way in, but the staff screens that
    render history must stay safe even for a row someone wrote past the application.
    One-line texts (titles, headings) need nothing: templates escape them.
    """
    return {
        **content,
        "preamble": sanitize_html(content["preamble"]),
        "sections": [
            {
                **section,
                "intro": sanitize_html(section["intro"]),
                "items": [_clean_item(item) for item in section["items"]],
            }
            for section in content["sections"]
        ],
    }
