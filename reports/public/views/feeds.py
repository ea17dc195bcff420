"""Atom and RSS feeds of the latest published reports."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from reports.public.pages import public_page
from reports.public.queries import public_reports, with_public_excerpt

FEED_LENGTH = 20


class LatestReportsAtomFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("reports:report_list")

    def title(self):
        return _("%(site)s · 法治政府建设情况报告") % {"site": settings.PORTAL_SITE_NAME}

    def description(self):
        return _("各单位最新发布的法治政府建设年度报告。")

    subtitle = description

    def items(self):
        return with_public_excerpt(public_reports())[:FEED_LENGTH]

    def item_title(self, report):
        return report.public_title

    def item_description(self, report):
        return report.public_excerpt

    def item_pubdate(self, report):
        return report.published_at

    def item_updateddate(self, report):
        return report.public_since

    def item_author_name(self, report):
        return report.organization.name


class LatestReportsRssFeed(LatestReportsAtomFeed):
    feed_type = Rss201rev2Feed


atom_feed = public_page(LatestReportsAtomFeed())
rss_feed = public_page(LatestReportsRssFeed())
