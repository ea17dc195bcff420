"""Atom and RSS feeds, sitemap.xml and robots.txt: published reports only."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own output, not untrusted XML


@pytest.fixture
def published_and_draft(published_report):
    draft = factories.make_report(title="尚未发布的草稿报告")
    return published_report, draft


def test_atom_feed_lists_published_reports(client, published_and_draft):
    published, draft = published_and_draft
    response = client.get(reverse("reports:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [published.title]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(published.get_absolute_url())
    assert "现将本年度法治政府建设情况报告如下" in entries[0].findtext(f"{ATOM}summary")
    assert draft.title not in response.content.decode()


def test_rss_feed_lists_published_reports(client, published_and_draft):
    published, _draft = published_and_draft
    response = client.get(reverse("reports:feed_rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    items = parse(response).findall("channel/item")
    assert [item.findtext("title") for item in items] == [published.title]


def test_pages_announce_the_feeds(client, published_report):
    page = client.get(reverse("reports:home")).content.decode()
    assert 'type="application/atom+xml" title="' in page
    assert reverse("reports:feed") in page and reverse("reports:feed_rss") in page


def test_sitemap_lists_published_reports_main_pages_regions_and_unit_archives(client, published_and_draft):
    published, draft = published_and_draft
    found = factories.sitemap_locations(client)
    slug = published.organization.slug
    assert f"http://testserver{published.get_absolute_url()}" in found
    assert "http://testserver/" in found
    assert f"http://testserver{reverse('reports:unit_index')}" in found
    assert f"http://testserver{reverse('reports:unit_region', kwargs={'slug': slug})}" in found
    assert f"http://testserver{reverse('reports:unit_archive', kwargs={'slug': slug})}" in found
    assert not any(draft.organization.slug in location for location in found)


def test_sitemap_pages_hold_a_bounded_number_of_addresses(client, published_and_draft, monkeypatch):
    from reports.public.views.sitemaps import ReportSitemap

    factories.make_published_report(organization=published_and_draft[0].organization, year=2018)
    monkeypatch.setattr(ReportSitemap, "limit", 1)
    sitemaps = factories.locations(client.get(reverse("reports:sitemap")))
    reports_pages = [sitemap for sitemap in sitemaps if "sitemap-reports.xml" in sitemap]
    assert len(reports_pages) == 2
    assert reports_pages[1].endswith("?p=2")


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_search(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /search/" in body
    assert "admin" not in body  # the admin's address is not advertised
