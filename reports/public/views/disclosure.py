"""公开情况: for a year, every unit that owes a report, whether and when it went public, on time or late.

The facts are the dashboard's (``reports.duty.status.duty_rows``) less the internal ones: a
reader learns whether a report is public, since when, and whether that met the deadline,
never the state of an unpublished draft.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.duty.deadlines import current_year, publication_deadline, today
from reports.duty.status import duty_rows, totals
from reports.models import Organization, Report
from reports.public.pages import public_page

FIRST_YEAR = 2000


def disclosure_years() -> list[int]:
    """Years with a public record page, newest first: this cycle's and those of any report, that units owe."""
    years = {current_year(), *Report.objects.values_list("year", flat=True).distinct()}
    return sorted(
        (year for year in years if year <= current_year() and Organization.objects.owing_report(year).exists()),
        reverse=True,
    )


@public_page(daily=True)  # days overdue grow with no event
def disclosure(request, year: int):
    if not FIRST_YEAR <= year <= current_year():
        raise Http404(_("没有这一年度的公开情况。"))
    rows = duty_rows(year)
    if not rows:
        raise Http404(_("没有这一年度的公开情况。"))
    context = {
        "year": year,
        "rows": rows,
        "totals": totals(rows),
        "deadline": publication_deadline(year),
        "today": today(),
        "other_years": [other for other in disclosure_years() if other != year],
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": _("%(year)s年度报告公开情况") % {"year": year}, "url": None},
        ],
    }
    return render(request, "reports/disclosure.html", context)
