from django.urls import path, register_converter

from reports.public import preferences
from reports.public.views import articles, attachments, feeds, home, lists, preview, qr, search, sitemaps, units


class YearConverter:
    """Four digits: anything longer cannot be a report year and must not reach the database."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class IdConverter:
    """A primary key small enough for a 64-bit integer column (a longer one is a 404, not an error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))


register_converter(YearConverter, "year")
register_converter(IdConverter, "id")

app_name = "reports"

urlpatterns = [
    path("", home.home, name="home"),
    path("reports/", lists.report_list, name="report_list"),
    path("reports/<year:year>/<slug:org>/", articles.report_detail, name="report_detail"),
    path("reports/<year:year>/<slug:org>/qr.svg", qr.report_qr, name="report_qr"),
    path("tags/<str:name>/", lists.tag, name="tag"),
    path("units/", units.unit_index, name="unit_index"),
    path("units/<slug:slug>/", units.unit_region, name="unit_region"),
    path("search/", search.search, name="search"),
    path("attachments/<id:pk>/", attachments.download, name="attachment_download"),
    path("preview/<id:pk>/", preview.preview, name="preview"),
    path("font/", preferences.font_size, name="font_size"),
    path("feeds/atom.xml", feeds.atom_feed, name="feed"),
    path("feeds/rss.xml", feeds.rss_feed, name="feed_rss"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
