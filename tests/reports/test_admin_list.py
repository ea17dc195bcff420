"""The report list: text search, the 发布机构 filter, the public-version column, export and bulk steps."""

import csv
import io

import lxml.html
import openpyxl
import pytest
from django.urls import reverse

from reports import services
from reports.models import Item, Report, ReportState
from tests import factories
from tests.factories import messages_of

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


def test_the_list_shows_the_public_version_beside_the_working_copy(client, published_report, clerk):
    services.record_edit(report=published_report, user=clerk, comment="")  # nothing changed: no new revision
    published_report.tags.add("新标签")
    services.record_edit(report=published_report, user=clerk)
    client.force_login(clerk)

    document = lxml.html.fromstring(client.get(CHANGELIST).content.decode())

    row = " ".join(document.xpath("//table[@id='result_list']/tbody/tr")[0].text_content().split())
    assert "第 2 版（" in row
    assert "草稿" in row


# --- Export ------------------------------------------------------------------------------------


def exported_rows(response) -> list[list[str]]:
    assert response["Content-Disposition"].startswith("attachment;")
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_filtered_list_exports_with_state_public_version_dates_unit_and_views(
    client, organization, clerk, editor, published_report, file_format
):
    factories.make_report(organization=organization, author=clerk, year=2020)
    client.force_login(clerk)

    response = client.get(reverse("admin:reports_report_export", args=[file_format]), {"state__exact": "published"})

    header, *rows = exported_rows(response)
    assert header[:7] == ["索引号", "标题", "发布机构", "报告年度", "工作稿状态", "工作稿版本", "公开版本"]
    assert "浏览次数" in header and "公开起始时间" in header
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["发布机构"], row["报告年度"], row["工作稿状态"], row["公开版本"]) == (
        organization.name,
        "2019",
        "已发布",
        "2",
    )


def test_the_export_action_exports_the_selected_reports_only(client, organization, clerk):
    first = factories.make_report(organization=organization, author=clerk, year=2019)
    factories.make_report(organization=organization, author=clerk, year=2020)
    client.force_login(clerk)

    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [first.pk], "index": 0})

    _header, *rows = exported_rows(response)
    assert [row[0] for row in rows] == [first.index_number]


def test_the_export_never_includes_reports_of_other_units(client, clerk, other_organization):
    factories.make_report(organization=other_organization)
    client.force_login(clerk)

    _header, *rows = exported_rows(client.get(reverse("admin:reports_report_export", args=["csv"])))

    assert rows == []


# --- Bulk steps -----------------------------------------------------------------------------


def test_bulk_submission_confirms_first_then_submits_each_draft(client, organization, clerk, editor):
    drafts = [factories.make_report(organization=organization, author=clerk, year=year) for year in (2019, 2020)]
    under_review = factories.make_report(organization=organization, author=clerk, year=2021)
    services.submit_for_review(report=under_review, user=clerk)
    client.force_login(clerk)
    selected = {"action": "bulk_submit", "_selected_action": [r.pk for r in [*drafts, under_review]], "index": 0}

    confirmation = client.post(CHANGELIST, selected)

    assert confirmation.status_code == 200
    assert "不会提交审核：报告当前状态为“待审核”" in confirmation.content.decode()
    assert {Report.objects.get(pk=r.pk).state for r in drafts} == {ReportState.DRAFT}
    response = client.post(CHANGELIST, {**selected, "confirm": "yes"}, follow=True)
    assert {Report.objects.get(pk=r.pk).state for r in drafts} == {ReportState.SUBMITTED}
    assert any(message.startswith("已提交审核 2 份报告") for message in messages_of(response))
    assert any("以下 1 份报告未能提交审核" in message for message in messages_of(response))


def test_bulk_publication_is_offered_to_editors_only(client, organization, clerk, editor):
    factories.make_report(organization=organization, author=clerk)
    client.force_login(clerk)
    assert "bulk_publish" not in client.get(CHANGELIST).content.decode()
    client.force_login(editor)
    assert "bulk_publish" in client.get(CHANGELIST).content.decode()


def test_bulk_publication_publishes_approved_reports(client, organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    client.force_login(editor)

    client.post(CHANGELIST, {"action": "bulk_publish", "_selected_action": [report.pk], "index": 0, "confirm": "yes"})

    assert Report.objects.published().filter(pk=report.pk).exists()


def test_auditors_get_no_bulk_steps(client, report):
    client.force_login(factories.make_auditor())

    page = client.get(CHANGELIST).content.decode()

    assert "bulk_submit" not in page and "bulk_publish" not in page
    assert "export_xlsx" in page
