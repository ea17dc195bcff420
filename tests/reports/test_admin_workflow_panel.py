"""The change page's workflow panel says what to do and why: the return comment, refused steps, both versions."""

import lxml.html
import pytest
from django.urls import reverse

from reports import services
from tests import factories
from tests.factories import change_url, messages_of, page_form_data


def text_of(response, css_class: str) -> str:
    document = lxml.html.fromstring(response.content.decode())
    found = document.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]")
    return " ".join(" ".join(node.text_content().split()) for node in found)


def submitted(report, clerk):
    services.submit_for_review(report=report, user=clerk)
    report.refresh_from_db()
    return report


def test_an_editor_who_edited_during_review_sees_approval_disabled_with_the_four_eyes_reason(
    client, report, clerk, editor
):
    submitted(report, clerk)
    report.tags.add("修改")
    services.record_edit(report=report, user=editor)
    client.force_login(editor)

    response = client.get(change_url(report))

    assert "审核通过：您在审核期间修改过这份报告，需由另一位审核人审核通过（双人审核原则）。" in text_of(
        response, "workflow-unavailable"
    )
    assert "审核通过" not in text_of(response, "workflow-actions")


def test_refused_steps_with_one_reason_are_listed_together(client, report, editor):
    client.force_login(editor)

    unavailable = text_of(client.get(change_url(report)), "workflow-unavailable")

    assert "退回、审核通过、立即发布、定时发布、报送上级：报告当前状态为“草稿”，不能执行此操作。" in unavailable
    assert "撤回：这份报告目前没有公开，无需撤回。" in unavailable


@pytest.mark.parametrize("state", ["draft", "submitted", "published"])
def test_a_clerk_is_never_shown_an_editors_step(client, report, clerk, editor, state):
    if state != "draft":
        submitted(report, clerk)
    if state == "published":
        services.approve(report=report, user=editor, secrecy_checked=True)
        services.publish(report=report, user=editor)
    client.force_login(clerk)

    panel = text_of(client.get(change_url(report)), "workflow-panel")

    for label in ["退回", "审核通过", "立即发布", "定时发布", "撤回"]:
        assert label not in panel.replace("退回人", "")


def test_a_returned_draft_shows_the_editors_comment_at_the_top_until_resubmitted(client, report, clerk, editor):
    submitted(report, clerk)
    services.return_for_revision(report=report, user=editor, comment="第二部分缺少原因分析。")
    services.record_edit(report=report, user=clerk)
    client.force_login(clerk)

    page = client.get(change_url(report))

    assert "第二部分缺少原因分析。" in text_of(page, "workflow-return")
    html = page.content.decode()
    assert html.index("workflow-return") < html.index("<fieldset")
    submitted(report, clerk)
    assert text_of(client.get(change_url(report)), "workflow-return") == ""


def test_an_edited_published_report_shows_the_public_version_beside_the_draft(client, published_report, clerk):
    client.force_login(clerk)
    form = page_form_data(client.get(change_url(published_report)))
    form["title"] = "新标题"

    response = client.post(change_url(published_report), form, follow=True)

    assert any("公众看到的仍是第 2 版" in message for message in messages_of(response))
    versions = text_of(client.get(change_url(published_report)), "workflow-versions")
    assert "公众看到： 第 2 版" in versions or "公众看到：第 2 版" in versions
    assert "工作稿： 草稿，第 3 版" in versions or "工作稿：草稿，第 3 版" in versions
    changelist = client.get(reverse("admin:reports_report_changelist")).content.decode()
    assert "第 2 版（" in changelist


def test_a_published_report_says_its_working_copy_is_the_public_one(client, published_report, clerk):
    client.force_login(clerk)

    versions = text_of(client.get(change_url(published_report)), "workflow-versions")

    assert "与公开版本相同" in versions


def test_the_submit_page_warns_about_a_missing_signing_date(client, organization, clerk):
    """Missing parts block submission (see tests/reports/duty/test_submission.py); a missing date only warns."""
    report = factories.make_report(organization=organization, author=clerk)
    client.force_login(clerk)

    warnings = text_of(client.get(reverse("admin:reports_report_workflow", args=[report.pk, "submit"])), "warning")

    assert "还没有填写成文日期" in warnings


def test_the_submit_page_of_a_complete_report_has_no_warnings(client, organization, clerk):
    report = factories.make_report(organization=organization, author=clerk, signing_date="2020-01-10")
    client.force_login(clerk)

    response = client.get(reverse("admin:reports_report_workflow", args=[report.pk, "submit"]))

    assert text_of(response, "warning") == ""


def test_the_approve_page_links_the_preview_and_every_attachment(client, report, clerk, editor):
    attachment = factories.attach(report, "附表.pdf")
    submitted(report, clerk)
    client.force_login(editor)

    response = client.get(reverse("admin:reports_report_workflow", args=[report.pk, "approve"]))

    links = lxml.html.fromstring(response.content.decode()).xpath("//div[@class='workflow-reading']//a/@href")
    assert links == [
        reverse("reports:preview", args=[report.pk]),
        reverse("admin:reports_report_attachment", args=[report.pk, attachment.pk]),
    ]


def test_the_preview_of_an_edited_published_report_names_the_public_version(client, published_report, clerk):
    published_report.tags.add("新标签")
    services.record_edit(report=published_report, user=clerk)
    client.force_login(clerk)

    banner = text_of(client.get(reverse("reports:preview", args=[published_report.pk])), "preview-banner")

    assert "当前状态：草稿" in banner
    assert "公众现在看到的是第 2 版。" in banner


def test_the_preview_of_a_draft_says_it_is_not_public(client, report, clerk):
    client.force_login(clerk)

    banner = text_of(client.get(reverse("reports:preview", args=[report.pk])), "preview-banner")

    assert "这份报告目前没有公开。" in banner
