"""A published report as an official document (.docx or PDF), made from its public revision."""

import functools
import logging

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from reports.models import Report
from reports.official.documents import CONTENT_TYPES, cached_public_render

logger = logging.getLogger(__name__)


def fonts_required(view):
    """Answer 503 with a message, not a server error, while the PDF fonts are not installed."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ImproperlyConfigured as error:
            logger.error("official document not rendered: %s", error)
            return HttpResponse(
                _("公文版式文件暂时无法生成，请稍后再试。"), status=503, content_type="text/plain; charset=utf-8"
            )

    return wrapper


def document_response(content: bytes, *, kind: str, title: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{title}.{kind}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@fonts_required
def official_document(request, year: int, org: str, kind: str):
    if kind not in CONTENT_TYPES:
        raise Http404(_("没有这种格式。"))
    report = Report.objects.published().filter(year=year, organization__slug=org).first()
    if report is None:
        raise Http404(_("没有找到这份报告。"))
    content = cached_public_render(kind, report)
    return document_response(content, kind=kind, title=f"{report.organization.name}{year}")
