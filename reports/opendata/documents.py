"""A published report as open data: one plain dict built from its public revision's snapshot.

The API's detail, the bulk JSON and the CSV/.xlsx rows are all made from ``report_document``,
so every format says the same thing. Numbers (一、 （一） 1.) are those the article shows,
from ``reports.numbering``; rich text is given both as the sanitized HTML the article
renders and as plain text.
"""

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from reports.followthrough import follow_through_rows
from reports.history.revisions import sanitized_content
from reports.models import OrganizationKind, Revision, SectionKind
from reports.numbering import item_number, section_number, subitem_number
from reports.public.queries import public_reports
from reports.sanitize import html_to_text

FORMAT = "rule-of-law-portal/open-data"
FORMAT_VERSION = 1


def _revision(field: str) -> Subquery:
    return Subquery(Revision.objects.filter(pk=OuterRef("public_revision_id")).order_by().values(field)[:1])


def published_reports() -> QuerySet:
    """Published reports with their public revision's number and hash, newest year first."""
    reports = public_reports().select_related("organization__parent")
    reports = reports.annotate(public_number=_revision("number"), public_hash=_revision("hash"))
    return reports.order_by("-year", "organization__order", "organization__name", "pk")


def licence() -> dict:
    return {"name": settings.PORTAL_OPEN_DATA_LICENCE, "url": settings.PORTAL_OPEN_DATA_LICENCE_URL}


def organization_document(organization) -> dict:
    parent = organization.parent
    return {
        "slug": organization.slug,
        "name": organization.name,
        "short_name": organization.short_name,
        "kind": organization.kind,
        "kind_label": str(OrganizationKind(organization.kind).label),
        "parent": {"slug": parent.slug, "name": parent.name} if parent else None,
    }


def _urls(request, year: int, org: str) -> dict:
    return {
        "url": request.build_absolute_uri(reverse("reports:report_detail", kwargs={"year": year, "org": org})),
        "api_url": request.build_absolute_uri(reverse("opendata:report_detail", kwargs={"year": year, "org": org})),
    }


def summary_document(request, report) -> dict:
    """What the list says about a published report (``report`` from ``published_reports()``)."""
    return {
        "index_number": report.index_number,
        "year": report.year,
        "title": report.public_title,
        "organization": organization_document(report.organization),
        "published_at": report.published_at,
        "public_since": report.public_since,
        "revision": {"number": report.public_number, "hash": report.public_hash},
        **_urls(request, report.year, report.organization.slug),
    }


def _text(html: str) -> str:
    return html_to_text(html or "").strip()


def _item_document(item: dict, number: str, children: list[dict]) -> dict:
    return {
        "key": item.get("key"),
        "number": number,
        "heading": item["heading"],
        "body_html": item["body"],
        "body_text": _text(item["body"]),
        "children": children,
    }


def _section_document(section: dict, position: int) -> dict:
    kind = section["kind"] if section["kind"] in SectionKind.values else SectionKind.OTHER
    items = []
    for item_position, item in enumerate(section["items"], start=1):
        number = item_number(item_position)
        children = [
            _item_document(child, subitem_number(child_position), [])
            for child_position, child in enumerate(item["children"], start=1)
        ]
        items.append(_item_document(item, number, children))
    return {
        "number": section_number(position),
        "kind": kind,
        "kind_label": str(SectionKind(kind).label),
        "heading": section["heading"],
        "intro_html": section["intro"],
        "intro_text": _text(section["intro"]),
        "items": items,
    }


def _plan_review_document(request, content: dict, org: str) -> dict | None:
    plan_review = content.get("plan_review")
    if not plan_review:
        return None
    previous = plan_review["previous"]
    return {
        "previous": {
            "year": previous["year"],
            "revision_hash": previous["hash"],
            **_urls(request, previous["year"], org),
        },
        "items": [
            {
                "plan_key": row["key"],
                "number": row["number"],
                "plan_text": row["plan_text"],
                "status": row["status"],
                "status_label": row["status_label"],
                "note": row["note"],
                "measures": row["measures"],
            }
            for row in follow_through_rows(content)
        ],
    }


def provenance(request, *, generated_at, revision_hash: str | None = None, source_url: str | None = None) -> dict:
    """Where a copy comes from, when it was made, under which licence; the revision hash checks it against
    ``export_history``."""
    found = {
        "source": settings.PORTAL_SITE_NAME,
        "source_url": source_url or request.build_absolute_uri(reverse("reports:home")),
        "generated_at": generated_at,
        "licence": licence(),
    }
    if revision_hash is not None:
        found["revision_hash"] = revision_hash
    return found


def report_document(request, report, content: dict, *, generated_at=None) -> dict:
    """A published report in full, from its public revision's snapshot (``report`` from ``published_reports()``)."""
    content = sanitized_content(content)
    org = report.organization.slug
    urls = _urls(request, report.year, org)
    return {
        **summary_document(request, report),
        "original_published_at": report.imported_published_at,
        "source": content["source"],
        "signing_date": content["signing_date"],
        "signatories": content["signatories"],
        "disclosure_mode": content["disclosure_mode"],
        "topic_category": content["topic_category"],
        "tags": content["tags"],
        "preamble_html": content["preamble"],
        "preamble_text": _text(content["preamble"]),
        "sections": [_section_document(section, position) for position, section in enumerate(content["sections"], 1)],
        "attachments": [
            {
                "name": attachment["name"],
                "size": attachment["size"],
                "content_type": attachment["content_type"],
                "sha256": attachment["sha256"],
                "url": request.build_absolute_uri(
                    reverse("reports:attachment_download", kwargs={"pk": attachment["id"]})
                ),
            }
            for attachment in content["attachments"]
        ],
        "plan_review": _plan_review_document(request, content, org),
        "provenance": provenance(
            request,
            generated_at=generated_at or timezone.now(),
            revision_hash=report.public_hash,
            source_url=urls["url"],
        ),
    }


def contents_of(reports) -> dict[int, dict]:
    """The public snapshots of ``reports`` (from ``published_reports()``), by public revision id, in one query."""
    ids = [report.public_revision_id for report in reports]
    return dict(Revision.objects.filter(pk__in=ids).order_by().values_list("pk", "content"))
