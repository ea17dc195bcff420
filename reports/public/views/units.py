"""Each unit's archive page: all its published reports by year, and the years it owed one but published none."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.models import Organization
from reports.public.archive import archive
from reports.public.pages import public_page


@public_page(daily=True)  # a deadline passing adds a year to those owed
def unit_archive(request, slug: str):
    organization = get_object_or_404(Organization.objects.select_related("parent"), slug=slug)
    years = archive(organization)
    context = {
        "organization": organization,
        "years": years,
        "published_count": sum(1 for entry in years if not entry.missing),
        "missing_count": sum(1 for entry in years if entry.missing),
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": organization.name, "url": None},
        ],
    }
    return render(request, "reports/unit_archive.html", context)
