"""The portal's front page: the latest reports, and ways into the rest by unit and year."""

from django.shortcuts import render

from reports.public.pages import public_page
from reports.public.queries import public_reports, published_years, publishing_units, regions

LATEST_COUNT = 8
# Up to this many units the front page lists them all; beyond, their regions (a province's
# districts), each with its own page, so the front page does not grow with the units.
HOME_UNITS = 30
HOME_REGIONS = 40


@public_page
def home(request):
    units = publishing_units()
    many = len(units) > HOME_UNITS
    context = {
        "latest": public_reports()[:LATEST_COUNT],
        "years": published_years(),
        "units": [] if many else units,
        "regions": regions(units)[:HOME_REGIONS] if many else [],
        "unit_count": len(units),
    }
    return render(request, "reports/home.html", context)
