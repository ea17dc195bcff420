"""The pre-publication checks in a real browser: findings shown, a warning ignored, submission blocked, an override."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reports.models import ReportState, WorkflowAction
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(new_page, live_server, user):
    client = Client()
    client.force_login(user)
    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_clerk_is_blocked_ignores_a_warning_and_submits_after_another_editor_overrides(
    new_page, live_server, pandong, screenshots
):
    clerk = factories.make_clerk(pandong)
    editor = factories.make_editor(pandong)
    report = factories.make_report(
        organization=pandong, author=clerk, preamble="<p>全面布署工作。联系人身份证号11010519491231002X。</p>"
    )
    change = reverse("admin:reports_report_change", args=[report.pk])

    clerk_page = signed_in(new_page, live_server, clerk)
    clerk_page.goto(change)
    panel = clerk_page.locator("#checks-panel")
    assert panel.locator("mark").all_inner_texts() == ["布署", "11010519491231002X"]
    assert "建议：部署" in panel.inner_text()
    assert clerk_page.locator(".workflow-button--submit").count() == 0
    panel.screenshot(path=str(screenshots / "admin-checks-panel.png"))

    panel.get_by_role("link", name="忽略").click()
    clerk_page.fill("textarea[name=reason]", "引用上级文件原文。")
    clerk_page.get_by_role("button", name="确认忽略").click()
    clerk_page.wait_for_url(f"**{change}")
    assert "已忽略这条提醒" in clerk_page.locator(".messagelist").inner_text()
    assert clerk_page.locator("#checks-panel .checks-ignored summary").inner_text() == "已忽略的提醒（1）"

    clerk_page.goto(reverse("admin:reports_report_workflow", args=[report.pk, "submit"]))
    assert "1 处必须修改的问题" in clerk_page.locator(".messagelist").inner_text()

    editor_page = signed_in(new_page, live_server, editor)
    editor_page.goto(change)
    editor_page.locator("#checks-panel").get_by_role("link", name="放行").click()
    editor_page.fill("textarea[name=reason]", "号码为公开的示例号码，已核实。")
    editor_page.get_by_role("button", name="确认放行").click()
    editor_page.wait_for_url(f"**{change}")
    assert "放行，理由见流程记录" in editor_page.locator("#checks-panel").inner_text()

    clerk_page.goto(change)
    clerk_page.locator(".workflow-button--submit").click()
    clerk_page.get_by_role("button", name="确认提交审核").click()
    clerk_page.wait_for_url(f"**{change}")

    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    override = report.events.get(action=WorkflowAction.OVERRIDE_CHECK)
    assert override.actor == editor and "号码为公开的示例号码" in override.comment
    assert report.ignored_findings.get().reason == "引用上级文件原文。"
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert out.getvalue().startswith("OK")
