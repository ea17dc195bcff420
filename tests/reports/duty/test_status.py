"""Each unit's standing for a year, frozen around the deadline in Beijing time."""

from datetime import date

import pytest

from reports import services
from reports.duty.status import LATE, NOT_STARTED, ON_TIME, OVERDUE, PENDING, duty_rows, filter_rows, totals
from reports.models import OrganizationKind
from tests import factories
from tests.reports.duty.conftest import beijing


def row_of(year, organization, at):
    return next(row for row in duty_rows(year, at=at) if row.organization == organization)


def published_at(clock, organization, moment, **kwargs):
    clock.now = moment
    return factories.make_published_report(organization=organization, year=2019, **kwargs)


@pytest.mark.parametrize(
    ("moment", "standing", "label"),
    [
        (beijing(2020, 3, 31, 23, 59, 59), ON_TIME, "按时"),
        (beijing(2020, 4, 1, 0, 0, 0), LATE, "逾期 1 天"),
        (beijing(2020, 4, 3, 9, 0), LATE, "逾期 3 天"),
    ],
)
def test_publication_on_time_or_late(clock, owing, moment, standing, label):
    published_at(clock, owing, moment)
    clock.now = beijing(2020, 5, 1)

    row = row_of(2019, owing, clock.now)

    assert (row.publication.standing, row.publication.label, row.published_at) == (standing, label, moment)
    assert (row.state, row.is_public, row.next_step) == ("published", True, "—")
    assert row.public_url == row.report.get_absolute_url()


@pytest.mark.parametrize(
    ("today", "standing", "label"),
    [
        (beijing(2020, 3, 31, 23, 59), PENDING, "剩余 1 天"),
        (beijing(2020, 4, 1, 0, 0), OVERDUE, "已逾期 1 天，尚未完成"),
        (beijing(2020, 4, 11, 8, 0), OVERDUE, "已逾期 11 天，尚未完成"),
    ],
)
def test_a_unit_that_has_not_started(owing, today, standing, label):
    row = row_of(2019, owing, today)

    assert (row.state, row.state_label, row.next_step) == (NOT_STARTED, "未起草", "待起草人起草")
    assert (row.publication.standing, row.publication.label, row.report) == (standing, label, None)


def test_a_draft_waits_for_its_clerk(clock, owing):
    clock.now = beijing(2020, 3, 1)
    factories.make_report(organization=owing, year=2019)

    row = row_of(2019, owing, beijing(2020, 3, 2))

    assert (row.state_label, row.next_step, row.publication.days_left) == ("草稿", "待起草人提交", 30)


def test_a_withdrawn_report_keeps_its_on_time_publication(clock, owing, editor):
    report = published_at(clock, owing, beijing(2020, 3, 20))
    editor = factories.make_editor(owing)
    clock.now = beijing(2020, 4, 5)
    services.withdraw(report=report, user=editor, reason="数据有误。")

    row = row_of(2019, owing, clock.now)

    assert (row.state, row.is_public, row.public_url, row.publication.standing) == ("withdrawn", False, None, ON_TIME)
    assert row.next_step == "待起草人修改后重新提交"


def test_a_schedule_withdrawn_before_it_went_live_never_published(clock, owing):
    clock.now = beijing(2020, 3, 25)
    report = factories.make_report(organization=owing, year=2019)
    editor = factories.make_editor(owing)
    services.submit_for_review(report=report, user=report.created_by)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, at=beijing(2020, 3, 31, 10, 0))
    assert row_of(2019, owing, clock.now).next_step == "定时发布 2020-03-31 10:00"
    services.withdraw(report=report, user=editor, reason="暂缓发布。")
    clock.now = beijing(2020, 4, 2, 9, 0)
    services.submit_for_review(report=report, user=report.created_by)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)

    row = row_of(2019, owing, beijing(2020, 4, 5))

    assert (row.published_at, row.publication.label) == (beijing(2020, 4, 2, 9, 0), "逾期 2 天")


def test_a_scheduled_publication_counts_from_its_time(clock, owing):
    clock.now = beijing(2020, 3, 25)
    report = factories.make_report(organization=owing, year=2019)
    editor = factories.make_editor(owing)
    services.submit_for_review(report=report, user=report.created_by)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, at=beijing(2020, 3, 31, 23, 30))

    before, after = row_of(2019, owing, beijing(2020, 3, 31, 23, 0)), row_of(2019, owing, beijing(2020, 4, 2))

    assert (before.published_at, before.is_public, before.publication.standing) == (None, False, PENDING)
    assert (after.published_at, after.publication.standing) == (beijing(2020, 3, 31, 23, 30), ON_TIME)


def test_an_old_sites_publish_time_does_not_count_as_on_time(clock, owing):
    """A report published here after the deadline is late here, whatever its old site said."""
    clock.now = beijing(2020, 5, 27, 16, 56)
    report = factories.make_report(organization=owing, year=2019)
    type(report).objects.filter(pk=report.pk).update(imported_published_at=beijing(2020, 3, 1))
    editor = factories.make_editor(owing)
    services.submit_for_review(report=report, user=report.created_by)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)
    report.refresh_from_db()
    assert report.first_published_at == beijing(2020, 5, 27, 16, 56)  # the old site's date is only shown as such

    row = row_of(2019, owing, beijing(2020, 6, 1))

    assert (row.published_at, row.publication.standing) == (beijing(2020, 5, 27, 16, 56), LATE)
    assert row.imported_published_at == beijing(2020, 3, 1)


def test_the_upward_milestone_is_met_by_the_recorded_date(clock, owing, settings):
    settings.DUTY_UPWARD_DEADLINE = "03-01"
    report = published_at(clock, owing, beijing(2020, 2, 20))
    editor = factories.make_editor(owing)
    clock.now = beijing(2020, 3, 2)
    services.report_upward(report=report, user=editor, sent_on=date(2020, 2, 29), document_number="〔2020〕1号")

    row = row_of(2019, owing, beijing(2020, 3, 5))

    assert (row.upward.standing, row.upward.done_at) == (ON_TIME, beijing(2020, 2, 29))


def test_units_without_the_duty_are_not_listed(owing, district):
    merged = factories.make_organization(parent=district, reports_annually=True, reporting_until=2018)
    new = factories.make_organization(parent=district, reports_annually=True, reporting_from=2020)

    listed = {row.organization for row in duty_rows(2019, at=beijing(2020, 1, 1))}

    assert listed == {owing}
    assert (merged.owes_report(2018), merged.owes_report(2019)) == (True, False)
    assert (new.owes_report(2019), new.owes_report(2020)) == (False, True)


def test_filters_and_totals_come_from_the_same_rows(clock, district):
    streets = [factories.make_organization(parent=district, reports_annually=True) for _ in range(3)]
    department = factories.make_organization(parent=district, reports_annually=True, kind=OrganizationKind.DEPARTMENT)
    published_at(clock, streets[0], beijing(2020, 3, 1))
    published_at(clock, streets[1], beijing(2020, 4, 2))
    rows = duty_rows(2019, at=beijing(2020, 4, 10))

    summary = totals(rows)

    assert (summary.owing, summary.published) == (4, 2)
    assert summary.by_standing == {ON_TIME: 1, LATE: 1, PENDING: 0, OVERDUE: 2}
    assert summary.by_state["published"] == 2 and summary.by_state[NOT_STARTED] == 2
    assert [row.organization for row in filter_rows(rows, kind="department")] == [department]
    assert len(filter_rows(rows, standing=OVERDUE)) == 2
    assert len(filter_rows(rows, parent=district.pk, state="published")) == 2


def test_the_rows_take_a_fixed_number_of_queries(clock, district, django_assert_max_num_queries):
    for _ in range(5):
        published_at(clock, factories.make_organization(parent=district, reports_annually=True), beijing(2020, 3, 1))

    with django_assert_max_num_queries(3):
        rows = duty_rows(2019, at=beijing(2020, 4, 10))
        [row.publication.label for row in rows]
