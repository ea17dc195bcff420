"""Home, the report list with its filters, tag pages: published reports only, newest first."""

from datetime import timedelta

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.models import Report
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_units")]


def titles(response) -> list[str]:
    root = html5lib.parse(response.content, treebuilder="etree", namespaceHTMLElements=False)
    return [
        "".join(link.itertext()).strip()
        for link in root.iter("a")
        if "report-items__title" in (link.get("class") or "").split()
    ]


@pytest.fixture(scope="module")
def two_units(module_rows):
    """2018 and 2019 of one unit, 2019 of another (published a day later), and a draft of each: made once."""
    with factories.frozen_clock() as clock:
        first = factories.make_organization(name="甲街道", slug="jia")
        second = factories.make_organization(name="乙街道", slug="yi")
        made = {
            "jia-2018": factories.make_published_report(organization=first, year=2018),
            "jia-2019": factories.make_published_report(organization=first, year=2019, tags=["依法行政"]),
        }
        clock.advance(days=1)
        made["yi-2019"] = factories.make_published_report(organization=second, year=2019, tags=["依法行政", "普法"])
        made["jia-2020-draft"] = factories.make_report(organization=first, year=2020)
        made["yi-2020-draft"] = factories.make_report(organization=second, year=2020)
    return {key: report.pk for key, report in made.items()}


@pytest.fixture
def reports_of_two_units(two_units, clock):
    """The reports of ``two_units``, read afresh, with the clock where their making left it."""
    clock.advance(days=1)
    return {key: Report.objects.get(pk=pk) for key, pk in two_units.items()}


# --- Home -----------------------------------------------------------------------------------------
def test_home_lists_latest_published_reports_newest_first(client, reports_of_two_units):
    response = client.get(reverse("reports:home"))
    made = reports_of_two_units
    assert titles(response) == [made["yi-2019"].title, made["jia-2019"].title, made["jia-2018"].title]


def test_home_offers_organizations_years_and_a_search_box(client, reports_of_two_units):
    page = client.get(reverse("reports:home")).content.decode()
    assert '?org=jia">甲街道</a> <span class="facet-list__count">（2）</span>' in page
    assert '?year=2019">2019年度</a> <span class="facet-list__count">（2）</span>' in page
    assert "2020年度" not in page
    assert f'action="{reverse("reports:search")}"' in page


def test_home_runs_a_fixed_number_of_queries(client, reports_of_two_units, django_assert_max_num_queries):
    # The public state, the latest reports, the years and the units with their counts.
    with django_assert_max_num_queries(4):
        client.get(reverse("reports:home"))


# --- List and filters ---------------------------------------------------------------------------------
def test_list_shows_published_reports_only_newest_first(client, reports_of_two_units):
    made = reports_of_two_units
    response = client.get(reverse("reports:report_list"))
    assert titles(response) == [made["yi-2019"].title, made["jia-2019"].title, made["jia-2018"].title]


def test_list_titles_come_from_the_public_revision(client, reports_of_two_units):
    report = reports_of_two_units["jia-2018"]
    report.title = "未发布的新标题"
    report.save()
    services.record_edit(report=report, user=report.created_by)
    assert "未发布的新标题" not in titles(client.get(reverse("reports:report_list")))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2019"}, ["yi-2019", "jia-2019"]),
        ({"org": "jia"}, ["jia-2019", "jia-2018"]),
        ({"tag": "依法行政"}, ["yi-2019", "jia-2019"]),
        ({"year": "2019", "org": "jia"}, ["jia-2019"]),
        ({"year": "2019", "org": "yi", "tag": "普法"}, ["yi-2019"]),
        ({"year": "2018", "tag": "普法"}, []),
    ],
)
def test_list_filters_combine(client, reports_of_two_units, query, expected):
    response = client.get(reverse("reports:report_list"), query)
    assert titles(response) == [reports_of_two_units[key].title for key in expected]


def test_list_filter_form_keeps_the_chosen_filters(client, reports_of_two_units):
    page = client.get(reverse("reports:report_list"), {"year": "2019", "org": "jia"}).content.decode()
    assert '<option value="2019" selected>2019年度</option>' in page
    assert '<option value="jia" selected>甲街道</option>' in page
    assert "清除筛选" in page


def test_drafts_do_not_appear_among_the_filter_choices(client, reports_of_two_units):
    page = client.get(reverse("reports:report_list")).content.decode()
    assert 'value="2020"' not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "2020"}, "2020年度没有已发布的报告。"),  # only drafts that year
        ({"year": "2031"}, "2031年度没有已发布的报告。"),
        ({"year": "abcd"}, "“abcd”不是有效的年度。"),
        ({"year": "9" * 40}, f"“{'9' * 40}”不是有效的年度。"),
        ({"org": "no-such-unit"}, "没有找到这个发布单位已发布的报告。"),
        ({"org": "\x00"}, "没有找到这个发布单位已发布的报告。"),
        ({"tag": "x" * 2000}, f"没有带“{'x' * 50}”标签的已发布报告。"),
        ({"year": "2019", "tag": "无此标签"}, "没有带“无此标签”标签的已发布报告。"),
    ],
)
def test_a_filter_without_reports_says_so_instead_of_listing_everything(client, reports_of_two_units, query, message):
    response = client.get(reverse("reports:report_list"), query)
    assert response.status_code == 200
    assert titles(response) == []
    assert message in text_of_status(response)


def text_of_status(response) -> str:
    root = html5lib.parse(response.content, treebuilder="etree", namespaceHTMLElements=False)
    return " ".join("".join(node.itertext()) for node in root.iter("div") if node.get("role") == "status")


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "9" * 5000, "1.5"])
def test_pages_that_do_not_exist_are_not_found(client, reports_of_two_units, page):
    assert client.get(reverse("reports:report_list"), {"page": page}).status_code == 404


def test_list_is_paginated_and_keeps_filters_in_page_links(client, clock):
    organization = factories.make_organization(slug="many")
    for year in range(2000, 2025):
        factories.make_published_report(organization=organization, year=year)
        clock.advance(minutes=1)

    first = client.get(reverse("reports:report_list"), {"org": "many"})
    second = client.get(reverse("reports:report_list"), {"org": "many", "page": "2"})

    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    assert titles(first)[0].startswith(organization.name + "2024")
    assert 'href="?org=many&amp;page=2"' in first.content.decode()


def test_list_runs_the_same_few_queries_whatever_the_number_of_reports(client):
    organization = factories.make_organization()

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:report_list"), {"org": organization.slug, "tag": "普法"})
        assert response.status_code == 200
        return len(queries)

    factories.make_published_report(organization=organization, year=2000, items_per_section=1, tags=["普法"])
    few = queries_for_list()
    for year in range(2001, 2025):
        factories.make_published_report(organization=organization, year=year, items_per_section=1, tags=["普法"])
    many = queries_for_list()

    # The public state, years, units, tags, the count and the page.
    assert few == many <= 6


def test_scheduled_report_is_listed_only_once_its_time_has_come(client, clock):
    report = factories.make_published_report(at=clock.now + timedelta(hours=1))
    assert report.title not in titles(client.get(reverse("reports:report_list")))
    clock.advance(hours=1)
    assert report.title in titles(client.get(reverse("reports:report_list")))


def test_withdrawn_report_leaves_the_list(client, reports_of_two_units):
    report = reports_of_two_units["yi-2019"]
    editor = report.organization.editors.first()
    services.withdraw(report=report, user=editor, reason="更正")
    assert report.title not in titles(client.get(reverse("reports:report_list")))


# --- Tags ---------------------------------------------------------------------------------------------------
def test_tag_page_lists_published_reports_with_the_tag(client, reports_of_two_units):
    reports_of_two_units["jia-2020-draft"].tags.add("普法")
    response = client.get(reverse("reports:tag", kwargs={"name": "普法"}))
    assert response.status_code == 200
    assert titles(response) == [reports_of_two_units["yi-2019"].title]
    assert "标签：普法" in response.content.decode()


def test_article_links_its_tags(client, reports_of_two_units):
    page = client.get(reports_of_two_units["jia-2019"].get_absolute_url()).content.decode()
    assert f'href="{reverse("reports:tag", kwargs={"name": "依法行政"})}"' in page


def republish(report):
    editor = report.organization.editors.first()
    services.record_edit(report=report, user=report.created_by)
    services.submit_for_review(report=report, user=report.created_by)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)


def test_tags_change_on_public_pages_only_when_a_revision_with_them_is_published(client, reports_of_two_units):
    report = reports_of_two_units["jia-2019"]
    report.tags.set(["新标签"])
    services.record_edit(report=report, user=report.created_by)

    assert client.get(reverse("reports:tag", kwargs={"name": "新标签"})).status_code == 404
    assert titles(client.get(reverse("reports:tag", kwargs={"name": "依法行政"}))) == [
        reports_of_two_units["yi-2019"].title,
        report.title,
    ]
    assert "依法行政" in client.get(report.get_absolute_url()).content.decode()

    republish(report)

    assert titles(client.get(reverse("reports:tag", kwargs={"name": "新标签"}))) == [report.title]
    assert titles(client.get(reverse("reports:tag", kwargs={"name": "依法行政"}))) == [
        reports_of_two_units["yi-2019"].title
    ]


def test_a_tag_that_cannot_be_a_path_segment_links_to_the_filtered_list(client, reports_of_two_units):
    """A name like ../../admin must not become /tags/../../admin/, which a browser reads as /admin/."""
    report = reports_of_two_units["jia-2018"]
    report.tags.add("../../admin")
    republish(report)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "/tags/../" not in page
    assert f'href="{reverse("reports:report_list")}?tag=..%2F..%2Fadmin"' in page


@pytest.mark.parametrize("name", ["没有的标签", "a/b", "%00"])
def test_unknown_tag_is_not_found(client, reports_of_two_units, name):
    assert client.get(f"/tags/{name}/").status_code == 404
