"""The 工作台: each person's queues with counts that lead to exactly those reports, and recent activity."""

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from tests import factories

INDEX = reverse("admin:index")


def queues(response) -> dict[str, tuple[int, str]]:
    """{label: (count, link)} of the 工作台's queues."""
    document = lxml.html.fromstring(response.content.decode())
    found = {}
    for queue in document.xpath("//li[contains(@class, 'workbench-queue')]"):
        link = queue.xpath(".//a")[0]
        label = link.xpath(".//span[@class='workbench-queue__label']")[0].text_content()
        count = int(link.xpath(".//span[@class='workbench-queue__count']")[0].text_content())
        found[label] = (count, link.get("href"))
    return found


def listed(client, url) -> list[int]:
    return sorted(report.pk for report in client.get(url).context["cl"].result_list)


@pytest.fixture
def desk(organization, clerk, editor):
    """A report in each state an editor's or a clerk's queue holds."""
    reports = {
        year: factories.make_report(organization=organization, author=clerk, year=year) for year in range(2016, 2021)
    }
    services.submit_for_review(report=reports[2016], user=clerk)  # to review
    services.submit_for_review(report=reports[2017], user=clerk)
    services.approve(report=reports[2017], user=editor, secrecy_checked=True)  # to publish
    services.submit_for_review(report=reports[2018], user=clerk)
    services.return_for_revision(report=reports[2018], user=editor, comment="请补充。")  # returned
    services.submit_for_review(report=reports[2019], user=clerk)
    services.approve(report=reports[2019], user=editor, secrecy_checked=True)
    services.publish(report=reports[2019], user=editor, at=timezone.now() + timedelta(days=3))  # scheduled
    return reports  # 2020 stays a draft


def test_an_editor_sees_reviews_publications_returns_and_schedules_with_counts(client, desk, editor):
    client.force_login(editor)

    found = queues(client.get(INDEX))

    assert {label: count for label, (count, _url) in found.items()} == {
        "待我审核": 1,
        "待我发布": 1,
        "退回待修改": 0,
        "定时发布": 1,
    }
    assert listed(client, found["待我审核"][1]) == [desk[2016].pk]
    assert listed(client, found["待我发布"][1]) == [desk[2017].pk]
    assert listed(client, found["定时发布"][1]) == [desk[2019].pk]


def test_a_clerk_sees_returned_reports_and_drafts_but_no_review_queue(client, desk, clerk):
    client.force_login(clerk)

    found = queues(client.get(INDEX))

    assert {label: count for label, (count, _url) in found.items()} == {"退回待修改": 1, "草稿待提交": 1, "定时发布": 1}
    assert listed(client, found["退回待修改"][1]) == [desk[2018].pk]
    assert listed(client, found["草稿待提交"][1]) == [desk[2020].pk]


def test_an_auditor_has_no_work_queue_but_sees_recent_activity(client, desk):
    client.force_login(factories.make_auditor())

    response = client.get(INDEX)

    assert list(queues(response)) == ["定时发布"]
    recent = " ".join(
        lxml.html.fromstring(response.content.decode())
        .xpath("//section[contains(@class, 'workbench-recent')]")[0]
        .text_content()
        .split()
    )
    assert "退回" in recent and "审核通过" in recent


def test_recent_activity_leaves_out_other_units(client, desk, other_organization, other_clerk):
    factories.make_report(organization=other_organization, author=other_clerk, year=2010)
    client.force_login(other_clerk)

    response = client.get(INDEX)

    recent = lxml.html.fromstring(response.content.decode()).xpath(
        "//section[contains(@class, 'workbench-recent')]//li"
    )
    assert len(recent) == 2  # the other unit's own create and edit
    assert str(desk[2016]) not in response.content.decode()


def test_unread_notifications_show_on_the_workbench(client, desk, editor):
    client.force_login(editor)

    response = client.get(INDEX)

    section = lxml.html.fromstring(response.content.decode()).xpath(
        "//section[contains(@class, 'workbench-notifications')]"
    )[0]
    assert "未读通知（4）" in section.text_content()  # four submissions
    assert reverse("admin:reports_report_change", args=[desk[2016].pk]) in section.xpath(".//a/@href")
