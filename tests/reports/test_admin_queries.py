"""Admin pages cost the same number of queries however long the report or the list is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.factories import change_url

CHANGELIST = reverse("admin:reports_report_changelist")


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def with_sub_items(report, per_item: int = 1):
    """Give every item of ``report`` sub-items, so each level of the page has rows."""
    for item in [item for section in report.sections.all() for item in section.items.all()]:
        for number in range(per_item):
            item.children.create(section_id=item.section_id, heading=f"下级{number}", order=number)
    return report


@pytest.mark.parametrize("role", ["clerk", "editor"])
def test_change_page_of_a_40_item_report_costs_what_a_4_item_one_does(
    client, organization, clerk, editor, role, django_assert_max_num_queries
):
    small = with_sub_items(
        factories.make_report(organization=organization, author=clerk, year=2019, items_per_section=1)
    )
    large = with_sub_items(
        factories.make_report(organization=organization, author=clerk, year=2020, items_per_section=10)
    )
    client.force_login({"clerk": clerk, "editor": editor}[role])
    small_cost = queries_of(client, change_url(small))

    with django_assert_max_num_queries(small_cost):
        assert client.get(change_url(large)).status_code == 200


def test_changelist_of_30_reports_costs_what_3_do(client, organization, clerk, django_assert_max_num_queries):
    for year in range(2001, 2004):
        factories.make_report(organization=organization, author=clerk, year=year, items_per_section=1)
    client.force_login(clerk)
    small_cost = queries_of(client, CHANGELIST)
    for year in range(2004, 2031):
        factories.make_report(organization=organization, author=clerk, year=year, items_per_section=1)

    with django_assert_max_num_queries(small_cost):
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 30


def test_add_page_costs_the_same_for_30_organizations_as_for_3(client, db, django_assert_max_num_queries):
    editor = factories.make_editor(all_organizations=True)
    for _number in range(3):
        factories.make_organization()
    client.force_login(editor)
    small_cost = queries_of(client, reverse("admin:reports_report_add"))
    for _number in range(27):
        factories.make_organization()

    with django_assert_max_num_queries(small_cost):
        assert client.get(reverse("admin:reports_report_add")).status_code == 200
