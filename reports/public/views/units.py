"""Where residents find a unit: its region (a district and the units under it), then the unit's archive.

A province's portal holds thousands of units; the front page and the list name regions, and
these pages list them, a bounded number per page, however many units there are. Each unit's
archive holds all its published reports by year, and the years it owed one but published none.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.models import Organization
from reports.public.archive import archive
from reports.public.pages import public_page
from reports.public.queries import publishing_units, regions
from reports.public.views.paging import paginate

PER_PAGE = 100


@public_page
def unit_index(request):
    """Every region with published reports, with its units and reports counted."""
    units = publishing_units()
    page = paginate(request, regions(units), per_page=PER_PAGE)
    context = {
        "page_obj": page,
        "unit_count": len(units),
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": _("单位导航"), "url": None},
        ],
    }
    return render(request, "reports/units.html", context)


@public_page
def unit_region(request, slug: str):
    """One region's units that have published reports, the region itself first."""
    units = publishing_units()
    region = next((found for found in regions(units) if found.slug == slug), None)
    if region is None:
        raise Http404(_("没有这个地区，或它还没有公开的报告。"))
    own = sorted((unit for unit in units if unit.region_id == region.id), key=lambda unit: unit.id != region.id)
    page = paginate(request, own, per_page=PER_PAGE)
    context = {
        "region": region,
        "page_obj": page,
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": _("单位导航"), "url": reverse("reports:unit_index")},
            {"label": region.name, "url": None},
        ],
    }
    return render(request, "reports/unit_region.html", context)


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
