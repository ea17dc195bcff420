"""A published report as an official document (.docx or PDF), made from its public revision."""

from django.http import Http404
from django.utils.translation import gettext as _

from reports.models import Report
from reports.official.documents import CONTENT_TYPES, cached_public_render
from reports.official.responses import document_response, fonts_required


@fonts_required
def official_document(request, year: int, org: str, kind: str):
    if kind not in CONTENT_TYPES:
        raise Http404(_("没有这种格式。"))
    report = Report.objects.published().filter(year=year, organization__slug=org).first()
    if report is None:
        raise Http404(_("没有找到这份报告。"))
    content = cached_public_render(kind, report)
    return document_response(content, kind=kind, title=f"{report.organization.name}{year}")
