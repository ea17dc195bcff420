"""The portal's front page: the latest reports, and ways into the rest by organization and year."""

from django.shortcuts import render

from reports.public.pages import public_page
from reports.public.queries import facets, public_reports

LATEST_COUNT = 8


@public_page
def home(request):
    context = {"latest": public_reports()[:LATEST_COUNT], **facets()}
    return render(request, "reports/home.html", context)
