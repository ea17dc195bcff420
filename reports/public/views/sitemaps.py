"""What crawlers may index: sitemap.xml and robots.txt."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control

from reports.public.queries import public_reports
from reports.public.views.disclosure import disclosure_years


class ReportSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8

    def items(self):
        # A stable order keeps the sitemap's pages stable.
        return public_reports().order_by("pk")

    def lastmod(self, report):
        return report.public_since


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["reports:home", "reports:report_list", "reports:site_map", "reports:subscribe", "reports:accessibility"]

    def location(self, name):
        return reverse(name)


class DisclosureSitemap(Sitemap):
    """The yearly 公开情况 pages."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        return disclosure_years()

    def location(self, year):
        return reverse("reports:disclosure", args=[year])


SITEMAPS = {"reports": ReportSitemap, "pages": PageSitemap, "disclosure": DisclosureSitemap}


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
