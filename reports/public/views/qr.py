"""The QR code of an article's address, for sharing to WeChat, drawn by the server."""

import io

import qrcode
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from qrcode.image.svg import SvgPathImage

from reports.models import Report

# The image only encodes the page's address, which never changes.
QR_MAX_AGE = 7 * 24 * 60 * 60


@cache_control(public=True, max_age=QR_MAX_AGE)
def report_qr(request, year: int, org: str):
    if not Report.objects.published().filter(year=year, organization__slug=org).exists():
        raise Http404(_("没有找到这份报告。"))
    url = request.build_absolute_uri(reverse("reports:report_detail", kwargs={"year": year, "org": org}))
    image = qrcode.make(url, image_factory=SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
