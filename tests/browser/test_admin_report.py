"""The report admin's nested inlines work in a real browser, under the site's Content-Security-Policy."""

import pytest
from django.conf import settings
from django.urls import reverse

from reports.models import Item, Report, SectionKind
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_session(client, pandong):
    editor = factories.make_editor(pandong)
    client.force_login(editor)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_editor_adds_a_section_an_item_and_a_sub_item_with_the_buttons(page, live_server, pandong, editor_session):
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": editor_session, "url": live_server.url}])
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)

    page.goto(reverse("admin:reports_report_add"))
    page.select_option("select[name=organization]", str(pandong.pk))
    page.fill("input[name=year]", "2021")
    page.locator(".djn-add-handler.djn-level-1.djn-model-reports-section").first.click()
    page.select_option("select[name=sections-0-kind]", SectionKind.MEASURES.value)
    page.locator("#sections-0 .djn-add-handler.djn-level-2.djn-model-reports-item").first.click()
    page.fill("input[name=sections-0-items-0-heading]", "完善决策制度")
    page.locator("#sections-0-items-0 .rich-text__content").first.fill("一是联动。")
    page.locator("#sections-0-items-0 .djn-add-handler.djn-level-3.djn-model-reports-item").first.click()
    page.fill("input[name=sections-0-items-0-children-0-heading]", "建立联动机制")
    page.click("input[name=_save]")
    page.wait_for_load_state("load")

    assert violations == []
    report = Report.objects.get(organization=pandong, year=2021)
    item = Item.objects.get(section__report=report, parent=None)
    assert (item.heading, item.body) == ("完善决策制度", "<p>一是联动。</p>")
    assert [child.heading for child in item.children.all()] == ["建立联动机制"]
    assert report.revisions.get().content["sections"][0]["items"][0]["children"][0]["heading"] == "建立联动机制"
