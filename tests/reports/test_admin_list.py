"""The report list: text search, the 发布机构 filter, the public-version column, export and bulk steps."""

import lxml.html
import pytest
from django.urls import reverse

from reports.models import Item
from tests import factories

CHANGELIST = reverse("admin:reports_report_changelist")


def listed(response) -> list[str]:
    return [str(report) for report in response.context["cl"].result_list]


@pytest.mark.parametrize(
    "term", ["行政复议", "复议 案件", '"行政复议 案件"'], ids=["item body", "two words", "quoted phrase"]
)
def test_search_finds_words_in_the_text_of_items(client, organization, clerk, term):
    report = factories.make_report(organization=organization, author=clerk, year=2019)
    factories.make_report(organization=organization, author=clerk, year=2020)
    Item.objects.filter(section__report=report).update(body="<p>办理行政复议 案件 12 件。</p>")
    client.force_login(clerk)

    response = client.get(CHANGELIST, {"q": term})

    assert listed(response) == [str(report)]


def test_search_lists_a_report_matching_in_many_items_once(client, organization, clerk):
    report = factories.make_report(organization=organization, author=clerk, items_per_section=3)
    Item.objects.filter(section__report=report).update(body="<p>行政复议</p>")
    client.force_login(clerk)

    assert listed(client.get(CHANGELIST, {"q": "行政复议"})) == [str(report)]


def test_search_does_not_reach_reports_of_other_units(client, organization, clerk, other_organization):
    other = factories.make_report(organization=other_organization)
    Item.objects.filter(section__report=other).update(body="<p>行政复议</p>")
    client.force_login(clerk)

    assert listed(client.get(CHANGELIST, {"q": "行政复议"})) == []


def test_clerk_of_one_unit_still_gets_the_organization_filter(client, organization, clerk):
    factories.make_report(organization=organization, author=clerk)
    client.force_login(clerk)

    document = lxml.html.fromstring(client.get(CHANGELIST).content.decode())

    filters = [" ".join(summary.text_content().split()) for summary in document.xpath("//nav//details/summary")]
    assert any(title.endswith("发布机构") for title in filters)
    assert document.xpath(f"//a[@href='?organization={organization.pk}']")
