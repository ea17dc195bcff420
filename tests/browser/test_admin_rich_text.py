"""The report change page in a real browser: the rich-text editor's output is what the sanitizer keeps, and a long
report opens folded with a table of contents."""

import pytest
from django.conf import settings
from django.urls import reverse

from reports.models import Report
from reports.sanitize import sanitize_html
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)
    page.on("pageerror", lambda error: violations.append(str(error)))
    return violations


def select_left(page, characters: int) -> None:
    for _character in range(characters):
        page.keyboard.press("Shift+ArrowLeft")


def toolbar(page, field: str, label: str):
    return page.locator(f".rich-text:has(textarea[name={field}]) .rich-text__toolbar button", has_text=label).first


def test_what_the_editor_writes_is_exactly_what_the_sanitizer_keeps(page, live_server, client, organization, clerk):
    report = factories.make_report(organization=organization, author=clerk)
    violations = signed_in(page, live_server, client, clerk)
    page.goto(reverse("admin:reports_report_change", args=[report.pk]))
    editor = page.locator(".rich-text:has(textarea[name=preamble]) .rich-text__content")

    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("现将情况报告如下，重点见网站")
    select_left(page, 2)
    page.once("dialog", lambda dialog: dialog.accept("https://www.gov.cn/zhengce/?a=1&b=2"))
    toolbar(page, "preamble", "链接").click()
    page.keyboard.press("End")
    for _character in range(3):
        page.keyboard.press("ArrowLeft")
    select_left(page, 2)
    toolbar(page, "preamble", "加粗").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    toolbar(page, "preamble", "无序列表").click()
    page.keyboard.type("要点一")
    page.keyboard.press("Enter")
    page.keyboard.type("要点二")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    toolbar(page, "preamble", "插入表格").click()
    page.keyboard.type("项目")
    written = page.eval_on_selector("textarea[name=preamble]", "textarea => textarea.value")
    page.click("input[name=_continue]")
    page.wait_for_load_state("load")

    assert violations == []
    assert sanitize_html(written) == written
    link = '<a href="https://www.gov.cn/zhengce/?a=1&amp;b=2" rel="external noopener noreferrer nofollow">网站</a>'
    assert f"<strong>重点</strong>见{link}" in written
    assert "<ul><li><p>要点一</p></li><li><p>要点二</p></li></ul>" in written
    assert "<table><tbody><tr><th><p>项目</p></th>" in written
    report.refresh_from_db()
    assert report.preamble == written


def test_opening_and_saving_a_page_rewrites_no_rich_text(page, live_server, client, organization, clerk):
    report = factories.make_report(
        organization=organization, author=clerk, preamble="<p>第一段<b>粗</b></p><ul><li>不带段落</li></ul>"
    )
    revisions = report.revisions.count()
    signed_in(page, live_server, client, clerk)

    page.goto(reverse("admin:reports_report_change", args=[report.pk]))
    page.click("input[name=_continue]")
    page.wait_for_load_state("load")

    assert report.revisions.count() == revisions
    assert Report.objects.get(pk=report.pk).preamble == "<p>第一段<b>粗</b></p><ul><li>不带段落</li></ul>"


def test_a_long_report_opens_folded_with_a_table_of_contents(page, live_server, client, organization, clerk):
    report = factories.make_report(organization=organization, author=clerk, items_per_section=10)
    signed_in(page, live_server, client, clerk)

    page.goto(reverse("admin:reports_report_change", args=[report.pk]))

    contents = page.locator("#report-contents li")
    assert contents.count() == 5  # the four statutory parts and 其他需要报告的情况
    assert contents.first.inner_text().replace("\n", "") == "一、主要举措和成效（10 个条目）"
    assert not page.locator("#sections-0-items-0").is_visible()
    folded_height = page.evaluate("document.body.scrollHeight")
    contents.first.locator("a").click()
    assert page.locator("#sections-0-items-0").is_visible()
    page.locator("#report-contents button", has_text="全部展开").click()
    assert page.evaluate("document.body.scrollHeight") > 3 * folded_height
