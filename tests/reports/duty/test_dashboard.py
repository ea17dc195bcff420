"""The deadline dashboard, its exports and the admin home's own-unit line."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.duty.status import duty_rows, totals
from tests import factories
from tests.reports.duty.conftest import beijing

DASHBOARD = "admin:reports_organization_duty"
EXPORT = "admin:reports_organization_duty_export"


@pytest.fixture
def cycle(clock, district):
    """Four streets of the district around the 2019 deadline, seen on 10 April 2020."""
    streets = [factories.make_organization(parent=district, reports_annually=True, name=f"街道{n}") for n in range(4)]
    clock.now = beijing(2020, 3, 20)
    factories.make_published_report(organization=streets[0], year=2019)
    clock.now = beijing(2020, 4, 3)
    factories.make_published_report(organization=streets[1], year=2019)
    factories.make_report(organization=streets[2], year=2019)
    clock.now = beijing(2020, 4, 10, 9, 0)
    return streets


def page_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="duty-row duty-row--(\w+)">', html)


def test_an_inspector_sees_every_unit_under_their_organization(client, cycle, inspector):
    elsewhere = factories.make_organization(reports_annually=True, name="别区街道")
    client.force_login(inspector)

    html = client.get(reverse(DASHBOARD), {"year": 2019}).content.decode()

    assert page_rows(html) == ["on_time", "late", "overdue", "overdue"]
    assert all(street.name in html for street in cycle)
    assert elsewhere.name not in html
    assert "逾期 3 天" in html and "已逾期 10 天，尚未完成" in html


def test_a_clerk_sees_only_their_own_units_line(client, cycle):
    clerk = factories.make_clerk(cycle[2])
    client.force_login(clerk)

    html = client.get(reverse(DASHBOARD), {"year": 2019}).content.decode()

    assert page_rows(html) == ["overdue"]
    assert cycle[2].name in html
    assert not any(street.name in html for street in (cycle[0], cycle[1], cycle[3]))


def test_the_year_defaults_to_the_one_whose_deadline_is_next(client, cycle, inspector):
    client.force_login(inspector)

    response = client.get(reverse(DASHBOARD))

    assert response.context["year"] == 2020


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"standing": "overdue"}, ["overdue", "overdue"]),
        ({"state": "published"}, ["on_time", "late"]),
        ({"kind": "department"}, []),
        ({"standing": "nonsense"}, ["on_time", "late", "overdue", "overdue"]),
    ],
)
def test_filters(client, cycle, inspector, filters, expected):
    client.force_login(inspector)

    html = client.get(reverse(DASHBOARD), {"year": 2019, **filters}).content.decode()

    assert page_rows(html) == expected


@pytest.mark.parametrize("filters", [{}, {"standing": "overdue"}])
def test_csv_and_xlsx_count_what_the_page_shows(client, cycle, inspector, filters):
    client.force_login(inspector)
    query = {"year": 2019, **filters}
    page = client.get(reverse(DASHBOARD), query)
    shown = page.context["rows"]

    csv_lines = list(
        csv.reader(io.StringIO(client.get(reverse(EXPORT, args=["csv"]), query).content.decode("utf-8-sig")))
    )
    book = load_workbook(io.BytesIO(client.get(reverse(EXPORT, args=["xlsx"]), query).content))
    sheet_lines = list(book.worksheets[0].iter_rows(values_only=True))
    summary = dict(book.worksheets[1].iter_rows(min_row=2, values_only=True))

    assert [line[0] for line in csv_lines[1:]] == [row.organization.name for row in shown]
    assert [line[0] for line in sheet_lines[1:]] == [row.organization.name for row in shown]
    assert [line[6] for line in csv_lines[1:]] == [row.publication.label for row in shown]
    page_totals = totals(shown)
    assert summary["应报告单位"] == page_totals.owing
    assert {label: summary[f"公开：{label}"] for _key, label, _count in page_totals.standings} == {
        label: count for _key, label, count in page_totals.standings
    }


def test_an_unknown_export_format_is_a_404(client, cycle, inspector):
    client.force_login(inspector)

    assert client.get(reverse(EXPORT, args=["pdf"])).status_code == 404


def test_an_inspector_changes_nothing_but_reads_submitted_reports(client, cycle, inspector):
    client.force_login(inspector)
    published = cycle[0].reports.get()
    draft = cycle[2].reports.get()

    assert client.get(reverse("admin:reports_report_change", args=[published.pk])).status_code == 200
    assert client.get(reverse("admin:reports_report_change", args=[draft.pk])).status_code == 404
    page = client.get(reverse("admin:reports_report_change", args=[published.pk])).content.decode()
    assert "workflow-button" not in page
    assert 'name="_save"' not in page


def test_the_admin_home_shows_a_clerk_their_own_line_with_days_left(client, clock, district):
    mine, theirs = (factories.make_organization(parent=district, reports_annually=True) for _ in range(2))
    clerk = factories.make_clerk(mine)
    clock.now = beijing(2020, 3, 18)
    client.force_login(clerk)

    html = client.get(reverse("admin:index")).content.decode()

    assert f"{mine.name}：" in html
    assert "剩余 14 天" in html
    assert theirs.name not in html


def test_the_admin_home_of_someone_without_units_shows_no_line(client, cycle, auditor):
    client.force_login(factories.make_user())

    html = client.get(reverse("admin:index")).content.decode()

    assert "duty-own" not in html


def test_the_rows_match_the_function(cycle, inspector):
    rows = duty_rows(2019)
    assert [row.publication.standing for row in rows] == ["on_time", "late", "overdue", "overdue"]
