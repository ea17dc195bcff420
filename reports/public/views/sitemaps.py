"""What crawlers may index: sitemap.xml (an index of per-section sitemaps, paged) and robots.txt.

Each sitemap page lists at most ``Sitemap.limit`` addresses, so no response grows with the
number of reports: a province's tens of thousands of reports make more pages, not bigger ones.
"""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control

from reports.models import Report
from reports.public.queries import publishing_units, regions


class ReportSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8
    limit = 5000

    def items(self):
        # A stable order keeps the sitemap's pages stable.
        return Report.objects.published().select_related("organization").order_by("pk")

    def lastmod(self, report):
        return report.public_since


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["reports:home", "reports:report_list", "reports:unit_index"]

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


SITEMAPS = {"reports": ReportSitemap, "pages": PageSitemap, "regions": RegionSitemap}


@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('reports:search')}",
        f"Disallow: {reverse('reports:font_size')}",
        f"Sitemap: {request.build_absolute_uri(reverse('reports:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
