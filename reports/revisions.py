"""Snapshots of a report's content, and the append-only revisions made from them.

The public article, staff previews and the auditors' revision view all render a snapshot,
so what was reviewed is exactly what residents read.
"""

from django.db.models import Prefetch
from django.utils import timezone

from reports.hashchain import chained_hash, revision_payload
from reports.models import Item, Report, Revision
from reports.sanitize import html_to_text

SNAPSHOT_SCHEMA = 1


def _item_snapshot(item: Item, children: list[Item]) -> dict:
    return {
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
        "tags": sorted(tag.name for tag in report.tags.all()),
        "sections": section_data,
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.display_name,
                "size": attachment.size,
                "content_type": attachment.content_type,
                "sha256": attachment.sha256,
            }
            for attachment in report.attachments.all()
        ],
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
    parts += content["signatories"]
    return "\n".join(html_to_text(part) for part in parts if part)


def save_revision(*, report: Report, user, comment: str = "") -> Revision | None:
    """Record the working copy as a new revision; returns None when nothing changed.

    Call inside the transaction that changed the report, after its sections are saved.
    """
    content = snapshot(report)
    previous = report.revisions.order_by("-number").first()
    if previous is not None and previous.content == content:
        return None
    revision = Revision(
        report=report,
        number=previous.number + 1 if previous else 1,
        author=user if user and user.is_authenticated else None,
        created_at=timezone.now(),
        state=report.state,
        comment=comment,
        title=content["title"],
        content=content,
        search_text=search_text(content),
        previous_hash=previous.hash if previous else "",
    )
    revision.hash = chained_hash(revision_payload(revision), revision.previous_hash)
    revision.save()
    return revision
