"""What crawlers may index: sitemap.xml (an index of per-section sitemaps, paged) and robots.txt.

Each sitemap page lists at most ``Sitemap.limit`` addresses, so no response grows with the
number of reports: a province's tens of thousands of reports make more pages, not bigger ones.
"""

from django.contrib.sitemaps import Sitemap, views
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control

from reports.models import Report
from reports.public.pages import public_page
from reports.public.queries import publishing_units, regions
from reports.public.views.disclosure import disclosure_years


class ReportSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8
    limit = 5000

    def items(self):
        # A stable order keeps the sitemap's pages stable.
        reports = Report.objects.published().select_related("organization")
        return reports.only("year", "organization__slug").order_by("pk")

    def lastmod(self, report):
        return report.public_since

    def get_latest_lastmod(self):
        # What the index shows for this section: one aggregate, not every report read.
        return Report.objects.published().aggregate(latest=Max("public_since"))["latest"]


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return [
            "reports:home",
            "reports:report_list",
            "reports:unit_index",
            "reports:site_map",
            "reports:subscribe",
            "reports:accessibility",
        ]

    def location(self, name):
        return reverse(name)


class RegionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        return regions(publishing_units())

    def location(self, region):
        return region.url


class UnitSitemap(Sitemap):
    """Each unit's archive of reports."""

    changefreq = "yearly"
    priority = 0.5
    limit = 5000

    def items(self):
        return publishing_units()

    def location(self, unit):
        return reverse("reports:unit_archive", kwargs={"slug": unit.slug})


class DisclosureSitemap(Sitemap):
    """The yearly 公开情况 pages."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        return disclosure_years()

    def location(self, year):
        return reverse("reports:disclosure", args=[year])


SITEMAPS = {
    "reports": ReportSitemap,
    "pages": PageSitemap,
    "regions": RegionSitemap,
    "units": UnitSitemap,
    "disclosure": DisclosureSitemap,
}


# Both change only with what is public, and the years on record with the date: kept like the lists.
@public_page(daily=True)
def sitemap_index(request):
    return views.index(request, SITEMAPS, sitemap_url_name="reports:sitemap_section")


@public_page(daily=True)
def sitemap_section(request, section: str):
    return views.sitemap(request, SITEMAPS, section=section)


@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('reports:search')}",
        f"Disallow: {reverse('reports:font_size')}",
        f"Disallow: {reverse('reports:care_mode')}",
        f"Disallow: {reverse('reports:script')}",
        f"Sitemap: {request.build_absolute_uri(reverse('reports:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
