"""The deadline dashboard and the public 公开情况 page in a real browser: filters work, axe finds nothing serious."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from reports.duty.deadlines import current_year
from reports.models import Organization
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("load_demo_data", "--force", stdout=open("/dev/null", "w"))
    return current_year() - 1


@pytest.fixture
def inspector_page(new_page, client, live_server, demo):
    inspector = factories.make_inspector(Organization.objects.get(slug="jiedong"))
    client.force_login(inspector)
    page = new_page(bypass_csp=True)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return page


def serious_violations(page, axe_source) -> list[str]:
    page.add_script_tag(content=axe_source)
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_dashboard_filters_and_has_no_serious_accessibility_violations(
    inspector_page, demo, axe_source, screenshots
):
    page = inspector_page
    page.goto(f"{reverse('admin:reports_organization_duty')}?year={demo}")
    assert page.locator("tr.duty-row").count() == 12

    page.get_by_label("公开情况").select_option("overdue")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("load")

    assert page.locator("tr.duty-row").count() == 4
    assert page.locator(".duty-table caption").inner_text() == "共 4 个单位"
    page.screenshot(path=screenshots / "duty-dashboard.png", full_page=True)
    assert serious_violations(page, axe_source) == []


def test_the_public_record_has_no_serious_accessibility_violations(new_page, demo, axe_source):
    page = new_page(bypass_csp=True)
    page.goto(reverse("reports:disclosure", args=[demo]))

    assert page.get_by_role("heading", level=1).inner_text() == f"{demo}年度法治政府建设情况报告公开情况"
    assert serious_violations(page, axe_source) == []
