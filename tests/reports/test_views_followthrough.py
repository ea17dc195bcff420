"""The public follow-through: the article's table, the side-by-side page, each unit's archive."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.urls import reverse

from reports import services
from reports.followthrough import plans_of
from reports.models import Item, Revision
from reports.public.archive import last_due_year, owed_years
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(organization, clerk, editor):
    previous, current = factories.make_consecutive_reports(organization=organization, clerk=clerk, editor=editor)
    plans = plans_of(Revision.objects.get(pk=previous.live_revision_id).content)
    measures, _plans = factories.measure_and_plan_keys(current)
    current.refresh_from_db()
    entries = [services.PlanReviewEntry(plans[0].key, "in_progress", "培训已开展两期。", [measures[1]])]
    services.review_plans(report=current, user=clerk, entries=entries, expected_version=current.version)
    services.submit_for_review(report=current, user=clerk)
    services.approve(report=current, user=editor, secrecy_checked=True)
    services.publish(report=current, user=editor)
    return previous, current, measures


def follow_through_url(report) -> str:
    return reverse("reports:follow_through", kwargs={"year": report.year, "org": report.organization.slug})


def test_article_shows_the_plans_status_and_a_link_to_the_measure(client, linked):
    _previous, current, measures = linked
    page = client.get(current.get_absolute_url()).content.decode()

    assert "上年工作安排落实情况" in page
    assert "推进中" in page and "培训已开展两期。" in page
    assert f'href="#item-{measures[1]}"' in page
    assert f'id="item-{measures[1]}"' in page
    assert follow_through_url(current) in page


@pytest.mark.parametrize(
    ("previous_year", "expected"),
    [
        (None, "未在本网公开"),
        ("no plans", "没有分条列出"),
        ("plans", "未逐项说明"),
    ],
)
def test_without_a_review_the_article_says_why_instead_of_an_empty_table(
    client, organization, clerk, editor, previous_year, expected
):
    if previous_year is not None:
        previous = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2019)
        if previous_year == "no plans":
            # The plans are written as one paragraph, not as numbered items.
            Item.objects.filter(section__report=previous, section__kind="plans").delete()
            services.record_edit(report=previous, user=clerk)
            services.submit_for_review(report=previous, user=clerk)
            services.approve(report=previous, user=editor, secrecy_checked=True)
            services.publish(report=previous, user=editor)
    current = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2020)

    page = client.get(current.get_absolute_url()).content.decode()
    side_by_side = client.get(follow_through_url(current)).content.decode()

    assert expected in page and expected in side_by_side
    assert "follow-through__table" not in page


def test_side_by_side_page_shows_last_years_plans_beside_this_years_measures(client, linked):
    previous, current, measures = linked
    page = client.get(follow_through_url(current)).content.decode()

    assert "plans条目1" in page and "measures条目2" in page
    assert f'href="#measure-{measures[1]}"' in page
    assert "落实上年工作安排" in page
    assert previous.get_absolute_url() in page


def test_side_by_side_page_of_an_unpublished_report_is_404(client, report):
    assert client.get(follow_through_url(report)).status_code == 404


def test_archive_lists_published_years_newest_first_and_marks_owed_ones(clock, client, organization, clerk, editor):
    owes_every_year(organization)
    factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2016)
    factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2018)
    factories.make_report(organization=organization, author=clerk, year=2019)  # a draft: not published

    page = client.get(reverse("reports:unit_archive", kwargs={"slug": organization.slug})).content.decode()

    positions = [page.index(f"{year}年度") for year in (2019, 2018, 2017, 2016)]
    assert positions == sorted(positions)
    assert page.count("本网未见该年度报告") == 2  # 2019 and 2017


def test_archive_of_an_unknown_unit_is_404(client, db):
    assert client.get(reverse("reports:unit_archive", kwargs={"slug": "nobody"})).status_code == 404


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2020, 3, 31, 15, 59, tzinfo=UTC), 2018),  # 31 March, 23:59 in Beijing: 2019 still on time
        (datetime(2020, 3, 31, 16, 0, tzinfo=UTC), 2019),  # 1 April, 00:00 in Beijing: "before 1 April" is over
    ],
)
def test_a_year_is_due_once_1_april_of_the_next_year_begins(moment, expected):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert last_due_year() == expected


def owes_every_year(organization):
    """A unit whose recorded duty has no start: it owes from its first published report on."""
    organization.reports_annually = True
    organization.save()


def test_owed_years_run_from_the_first_published_report(clock, organization, clerk, editor):
    owes_every_year(organization)
    assert owed_years(organization) == []
    factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2017)
    assert owed_years(organization) == [2017, 2018, 2019]
