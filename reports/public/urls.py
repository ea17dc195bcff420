from django.urls import path, register_converter

from reports.public import preferences
from reports.public.views import (
    articles,
    attachments,
    corrections,
    disclosure,
    feeds,
    followthrough,
    guides,
    home,
    icons,
    lists,
    official,
    opendata,
    preview,
    qr,
    search,
    sitemaps,
    units,
)


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
    path("reports/<year:year>/<slug:org>/correction/", corrections.correction, name="correction"),
    path("reports/<year:year>/<slug:org>/qr.svg", qr.report_qr, name="report_qr"),
    path("reports/<year:year>/<slug:org>/official.<slug:kind>", official.official_document, name="report_official"),
    path("reports/<year:year>/<slug:org>/follow-through/", followthrough.follow_through, name="follow_through"),
    path("units/", units.unit_index, name="unit_index"),
    path("units/<slug:slug>/", units.unit_archive, name="unit_archive"),
    path("regions/<slug:slug>/", units.unit_region, name="unit_region"),
    path("opendata/", opendata.opendata, name="opendata"),
    path("tags/<str:name>/", lists.tag, name="tag"),
    path("disclosure/<year:year>/", disclosure.disclosure, name="disclosure"),
    path("search/", search.search, name="search"),
    path("attachments/<id:pk>/", attachments.download, name="attachment_download"),
    path("preview/<id:pk>/", preview.preview, name="preview"),
    path("font/", preferences.font_size, name="font_size"),
    path("care/", preferences.care_mode, name="care_mode"),
    path("script/", preferences.script, name="script"),
    path("feeds/atom.xml", feeds.atom_feed, name="feed"),
    path("feeds/rss.xml", feeds.rss_feed, name="feed_rss"),
    path("sitemap/", guides.site_map, name="site_map"),
    path("subscribe/", guides.subscribe, name="subscribe"),
    path("accessibility/", guides.accessibility, name="accessibility"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("favicon.ico", icons.favicon, name="favicon"),
]
