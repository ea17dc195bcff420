"""A published report as an official document (.docx or PDF), made from its public revision."""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from reports.models import Report
from reports.official.documents import CONTENT_TYPES, cached_public_render


def document_response(content: bytes, *, kind: str, title: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{title}.{kind}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def official_document(request, year: int, org: str, kind: str):
    if kind not in CONTENT_TYPES:
        raise Http404(_("没有这种格式。"))
    report = Report.objects.published().filter(year=year, organization__slug=org).first()
    if report is None:
        raise Http404(_("没有找到这份报告。"))
    content = cached_public_render(kind, report)
    return document_response(content, kind=kind, title=f"{report.organization.name}{year}")
