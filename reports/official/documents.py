"""Which content becomes an official document: a report's public revision, its working copy, a year's set.

Built only from snapshots: the document of a published report is its public revision,
word for word; staff reading a report in the back office get its working copy.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.duty.status import DutyRow
from reports.history.revisions import snapshot
from reports.models import Report, Revision
from reports.official import layout
from reports.official.layout import Cover, Document, document_of

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# The documents of a revision never change; only the fonts and this code could change them.
CACHE_TIMEOUT = 7 * 24 * 60 * 60
COVER_WIDTHS = [0.28, 0.11, 0.23, 0.38]


def public_document(report: Report) -> Document:
    """The document of the revision the public reads (``report`` from ``Report.objects.published()``)."""
    content = Revision.objects.values_list("content", flat=True).get(pk=report.public_revision_id)
    return document_of(content, dated=timezone.localdate(report.public_since))


def working_document(report: Report) -> Document:
    """The document of the working copy, for staff (a draft has no public revision)."""
    return document_of(snapshot(report))


def render(kind: str, documents: list[Document], *, title: str, cover: Cover | None = None) -> bytes:
    # The Word and PDF libraries are loaded by the first document asked for, not by every worker at start
    # (README, "Memory").
    if kind == "docx":
        from reports.official.docx import render_docx as renderer
    else:
        from reports.official.pdf import render_pdf as renderer
    return renderer(documents, title=title, cover=cover)


def cached_public_render(kind: str, report: Report) -> bytes:
    """The public revision's document, rendered once per revision, fonts and code."""
    fonts = [getattr(settings, name) for name in sorted(dir(settings)) if name.startswith("OFFICIAL_FONT_")]
    facts = repr((kind, report.public_revision_id, report.public_since, fonts, layout.__file__))
    key = "official:" + hashlib.sha256(facts.encode()).hexdigest()[:32]
    store = caches["default"]
    content = store.get(key)
    if content is None:
        document = public_document(report)
        content = render(kind, [document], title=document.title)
        store.set(key, content, CACHE_TIMEOUT)
    return content


def combined(kind: str, rows: list[DutyRow], *, year: int) -> bytes:
    """A year's set for the inspectors: a cover table of every unit's standing, then each public report."""
    title = _("%(year)s年度法治政府建设情况报告汇编") % {"year": year}
    cover = Cover(
        title=title,
        header=[_("单位"), _("状态"), _("首次公开时间"), _("公开情况")],
        rows=[
            [
                row.organization.name,
                row.state_label,
                timezone.localtime(row.published_at).strftime("%Y-%m-%d %H:%M") if row.published_at else "—",
                row.publication.label,
            ]
            for row in rows
        ],
        widths=COVER_WIDTHS,
    )
    public = Report.objects.published().filter(pk__in=[row.report.pk for row in rows if row.is_public])
    by_pk = {report.pk: report for report in public}
    documents = [public_document(by_pk[row.report.pk]) for row in rows if row.report and row.report.pk in by_pk]
    return render(kind, documents, title=title, cover=cover)
