"""HTTP responses carrying an official document, for the public download and the staff ones alike."""

import functools
import logging

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from reports.official.documents import CONTENT_TYPES

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
