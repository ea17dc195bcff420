"""The portal's front page: the latest reports, and ways into the rest by organization and year."""

from django.shortcuts import render

from reports.rendering import cached_public_page
from reports.views.queries import facets, public_reports

LATEST_COUNT = 8


@cached_public_page
def home(request):
    context = {"latest": public_reports()[:LATEST_COUNT], **facets()}
    return render(request, "reports/home.html", context)
