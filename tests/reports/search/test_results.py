"""Results people can use: ranked, with the matching passage marked, counted by year, unit and part, paged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.search.results import PER_PAGE
from tests import factories
from tests.reports.search.corpus import publish_directly, section

pytestmark = pytest.mark.django_db


def page(client, **params) -> str:
    response = client.get(reverse("reports:search"), params)
    assert response.status_code == 200
    return response.content.decode()


def order(html: str, reports) -> list[int]:
    """The positions of ``reports`` in the results, by index in ``reports``, in the order found."""
    spots = sorted((html.index(report.get_absolute_url()), number) for number, report in enumerate(reports))
    return [number for _, number in spots]


def test_title_and_heading_hits_come_first_then_newer_reports(client):
    now = timezone.now()
    old_text = publish_directly(sections=[section("measures", bodies=["组织普法宣传"])], at=now - timedelta(days=9))
    new_text = publish_directly(sections=[section("measures", bodies=["组织普法宣传"])], at=now - timedelta(days=1))
    old_heading = publish_directly(
        sections=[section("measures", item_headings=["落实普法责任制"])], at=now - timedelta(days=5)
    )
    html = page(client, q="普法")
    assert order(html, [old_text, new_text, old_heading]) == [2, 1, 0]


def test_the_matching_passage_is_shown_with_every_phrase_marked(client):
    report = publish_directly(
        sections=[section("plans", bodies=["第一段没有要找的词。", "下一年度继续加强法律顾问工作，发挥法律顾问作用。"])]
    )
    html = page(client, q="法律顾问")
    assert "继续加强<mark>法律顾问</mark>工作，发挥<mark>法律顾问</mark>作用" in html
    assert "第一段没有要找的词" not in html
    assert "下一年度工作安排" in html  # the part the passage is from
    assert report.get_absolute_url() in html


def test_full_width_letters_and_digits_match_what_residents_type(client):
    publish_directly(sections=[section("measures", bodies=["开通１２３４５热线和ＡＰＰ"])])
    html = page(client, q="12345 app")
    assert "找到 1 篇" in html
    assert "<mark>１２３４５</mark>" in html and "<mark>ＡＰＰ</mark>" in html


@pytest.fixture
def two_units_two_years():
    first, second = factories.make_organization(name="甲街道", slug="jia"), factories.make_organization(slug="yi")
    made = [
        publish_directly(organization=first, year=2018, sections=[section("measures", bodies=["行政复议"])]),
        publish_directly(organization=first, year=2019, sections=[section("plans", bodies=["行政复议"])]),
        publish_directly(organization=second, year=2019, sections=[section("measures", bodies=["行政复议"])]),
    ]
    return first, second, made


def test_results_are_counted_by_year_unit_and_part(client, two_units_two_years):
    html = page(client, q="行政复议")
    assert "找到 3 篇" in html
    assert '2019年度</a> <span class="facet-list__count">（2）</span>' in html
    assert '甲街道</a> <span class="facet-list__count">（2）</span>' in html
    assert '主要举措和成效</a> <span class="facet-list__count">（2）</span>' in html
    assert '下一年度工作安排</a> <span class="facet-list__count">（1）</span>' in html


@pytest.mark.parametrize(
    ("filters", "expected"),
    [({"year": "2019"}, [1, 2]), ({"org": "jia"}, [0, 1]), ({"part": "plans"}, [1]), ({"year": "1999"}, [])],
)
def test_filters_narrow_the_results(client, two_units_two_years, filters, expected):
    made = two_units_two_years[2]
    html = page(client, q="行政复议", **filters)
    assert [number for number, report in enumerate(made) if report.get_absolute_url() in html] == expected


@pytest.mark.parametrize("filters", [{"year": "abcd"}, {"org": "nobody"}, {"part": "\x00"}, {"region": "x" * 500}])
def test_filters_that_name_nothing_are_ignored(client, two_units_two_years, filters):
    assert "找到 3 篇" in page(client, q="行政复议", **filters)


def test_the_last_page_holds_the_oldest_reports(client):
    now = timezone.now()
    unit = factories.make_organization()
    made = [
        publish_directly(
            organization=unit,
            year=2000 + number,
            sections=[section("measures", bodies=["依法行政"])],
            at=now - timedelta(days=number),
        )
        for number in range(PER_PAGE + 2)
    ]
    last = page(client, q="依法行政", page="2")
    assert [report.get_absolute_url() in last for report in made[-2:]] == [True, True]
    assert made[0].get_absolute_url() not in last
    assert client.get(reverse("reports:search"), {"q": "依法行政", "page": "3"}).status_code == 404
