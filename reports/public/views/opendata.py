"""开放数据: the human-readable page explaining the open data API and the yearly bulk files, in Chinese."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.opendata.bulk import dictionary
from reports.public.pages import public_page
from reports.public.queries import facets, public_reports


@public_page
def opendata(request):
    sample = public_reports().order_by("-year", "organization__order").first()
    context = {
        "years": facets()["years"],
        "dictionary": dictionary(),
        "sample": sample,
        "api_root": request.build_absolute_uri(reverse("opendata:report_list")).rsplit("reports/", 1)[0],
        "licence": {"name": settings.PORTAL_OPEN_DATA_LICENCE, "url": settings.PORTAL_OPEN_DATA_LICENCE_URL},
        "rate_limit": rate_text(settings.OPEN_DATA_RATE_LIMIT),
        "bulk_rate_limit": rate_text(settings.OPEN_DATA_BULK_RATE_LIMIT),
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": _("开放数据"), "url": None},
        ],
    }
    return render(request, "reports/opendata.html", context)


UNITS = {"s": gettext_lazy("秒"), "m": gettext_lazy("分钟"), "h": gettext_lazy("小时"), "d": gettext_lazy("天")}


def rate_text(rate: str) -> str:
    """ "120/min" as 每分钟 120 次 (the rate format of Django REST framework's throttles)."""
    count, period = rate.split("/")
    return _("每%(unit)s %(count)s 次") % {"unit": UNITS[period[0]], "count": count}
