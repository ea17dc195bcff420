"""Finding a unit among thousands: regions on the front page and the list, their pages, the unit index."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from reports.public.views import home, lists
from tests import factories
from tests.reports.search.corpus import publish_directly

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    """Two districts: one with two units under it (and a report of its own), one whose only unit publishes."""
    east = factories.make_organization(name="东区", slug="east", kind="district", order=1)
    west = factories.make_organization(name="西区", slug="west", kind="district", order=2)
    units = {
        "east": east,
        "east-a": factories.make_organization(name="东区甲街道", slug="east-a", parent=east, order=3),
        "east-b": factories.make_organization(name="东区乙镇", slug="east-b", parent=east, order=4),
        "west-a": factories.make_organization(name="西区丙街道", slug="west-a", parent=west),
    }
    for slug in ("east", "east-a", "east-b", "west-a"):
        publish_directly(organization=units[slug], year=2019)
    publish_directly(organization=units["east-a"], year=2020)
    factories.make_report(organization=factories.make_organization(name="未发布单位", parent=west))
    return units


def test_unit_index_lists_regions_with_their_units_and_reports(client, province):
    html = client.get(reverse("reports:unit_index")).content.decode()
    assert '<a href="/regions/east/">东区</a> <span class="facet-list__count">3 个单位，4 篇报告</span>' in html
    assert '<a href="/regions/west/">西区</a> <span class="facet-list__count">1 个单位，1 篇报告</span>' in html


def test_region_page_lists_its_publishing_units_leading_to_their_reports(client, province):
    html = client.get(reverse("reports:unit_region", kwargs={"slug": "east"})).content.decode()
    assert html.index(">东区</a>") < html.index(">东区甲街道</a>") < html.index(">东区乙镇</a>")
    assert '<a href="/reports/?org=east-a">东区甲街道</a> <span class="facet-list__count">2 篇报告</span>' in html
    assert "西区丙街道" not in html


@pytest.mark.parametrize("slug", ["east-a", "nowhere"])
def test_only_regions_have_region_pages(client, province, slug):
    assert client.get(reverse("reports:unit_region", kwargs={"slug": slug})).status_code == 404


def test_a_region_whose_units_have_not_published_has_no_page(client, province):
    factories.make_organization(name="北区", slug="north", kind="district")
    assert client.get(reverse("reports:unit_region", kwargs={"slug": "north"})).status_code == 404


def test_home_names_regions_instead_of_units_once_there_are_many(client, province, monkeypatch):
    few = client.get(reverse("reports:home")).content.decode()
    monkeypatch.setattr(home, "HOME_UNITS", 3)
    cache.clear()  # the front page was kept under this public state
    many = client.get(reverse("reports:home")).content.decode()

    unit_link = '<a href="/reports/?org=east-b">东区乙镇</a>'
    assert unit_link in few and "/regions/east/" not in few
    assert unit_link not in many
    assert '<a href="/regions/east/">东区</a> <span class="facet-list__count">（3 个单位）</span>' in many
    assert "全部 4 个单位" in many


def test_list_offers_regions_instead_of_every_unit_once_there_are_many(client, province, monkeypatch):
    monkeypatch.setattr(lists, "UNIT_CHOICES", 3)
    response = client.get(reverse("reports:report_list"), {"region": "east", "org": "east-a"})
    html = response.content.decode()

    assert '<option value="east" selected>东区</option>' in html
    assert '<input type="hidden" name="org" value="east-a"' in html
    assert "发布单位：东区甲街道" in html
    assert '<option value="east-b"' not in html
    assert html.count('class="report-items__entry"') == 2


def test_list_filters_by_region(client, province, monkeypatch):
    monkeypatch.setattr(lists, "UNIT_CHOICES", 3)
    html = client.get(reverse("reports:report_list"), {"region": "west"}).content.decode()
    assert html.count('class="report-items__entry"') == 1
    assert "西区丙街道" in html


def test_list_says_so_when_a_region_has_no_published_reports(client, province, monkeypatch):
    """As for a year or a unit: an empty list with the reason, never the whole list."""
    monkeypatch.setattr(lists, "UNIT_CHOICES", 3)
    html = client.get(reverse("reports:report_list"), {"region": "north"}).content.decode()
    assert "没有找到这个地区已发布的报告。" in html
    assert 'class="report-items__entry"' not in html


def test_search_counts_results_by_region_when_there_are_several(client, province):
    html = client.get(reverse("reports:search"), {"q": "法治政府"}).content.decode()
    assert '东区</a> <span class="facet-list__count">（4）</span>' in html
    east = client.get(reverse("reports:search"), {"q": "法治政府", "region": "east"}).content.decode()
    assert "找到 4 篇" in east
