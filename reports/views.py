"""Public pages residents read."""

from django.shortcuts import get_object_or_404, render

from reports.models import Report


def home(request):
    reports = Report.objects.published().select_related("organization")[:10]
    return render(request, "reports/home.html", {"reports": reports})


def report_list(request):
    reports = Report.objects.published().select_related("organization")
    return render(request, "reports/report_list.html", {"reports": reports})


def report_detail(request, year: int, org: str):
    report = get_object_or_404(Report.objects.published(), year=year, organization__slug=org)
    return render(request, "reports/report_detail.html", {"report": report})
