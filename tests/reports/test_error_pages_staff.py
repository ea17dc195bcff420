"""Staff error pages: in the admin's frame and in Chinese; the demo shows the site's pages, not Django's debug ones."""

import json

from django.urls import reverse

from tests import factories
from tests.test_settings import run


def test_an_auditor_refused_a_step_gets_a_chinese_page_in_the_admin_frame(client, report):
    client.force_login(factories.make_auditor())

    response = client.get(reverse("admin:reports_report_workflow", args=[report.pk, "submit"]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "您没有进行此操作的权限" in page
    assert "Forbidden" not in page
    assert reverse("admin:index") in page


def test_a_missing_report_in_the_admin_is_a_chinese_admin_page(client, clerk):
    client.force_login(clerk)

    response = client.get(reverse("admin:reports_report_change", args=[999999]))

    assert response.status_code == 404
    assert "没有找到这个页面" in response.content.decode()
    assert 'id="user-tools"' in response.content.decode()


DEBUG_OF = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.DEBUG))"


def test_the_demo_shows_no_debug_pages_unless_a_developer_asks(tmp_path):
    demo = {"DJANGO_SETTINGS_MODULE": "portal.settings.base", "DEBUG": "1"}

    assert json.loads(run("-c", DEBUG_OF, env=demo, tmp_path=tmp_path).stdout) is False
    assert json.loads(run("-c", DEBUG_OF, env={**demo, "DEBUG_PAGES": "1"}, tmp_path=tmp_path).stdout) is True
    production = {**demo, "DEBUG": "0", "DEBUG_PAGES": "1", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    assert json.loads(run("-c", DEBUG_OF, env=production, tmp_path=tmp_path).stdout) is False
