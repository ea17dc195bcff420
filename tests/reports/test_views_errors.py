"""Error pages in the site's design, in Chinese."""

import pytest
from django.test import RequestFactory

from reports.public.views.errors import server_error

pytestmark = pytest.mark.django_db


def test_not_found_page_is_chinese_and_in_the_site_design(client, settings):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="zh-Hans"' in page
    assert "抱歉，您访问的页面不存在" in page
    assert settings.PORTAL_SITE_NAME in page
    assert 'id="main-content"' in page


def test_server_error_page_is_chinese_and_needs_no_database(settings, django_assert_num_queries):
    request = RequestFactory().get("/broken/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "抱歉，网站暂时出现故障" in page
    assert settings.PORTAL_SITE_NAME in page
    assert settings.PORTAL_CONTACT in page


def test_server_error_page_survives_a_broken_template(monkeypatch):
    def broken(name):
        raise RuntimeError("template loader is broken")

    monkeypatch.setattr("reports.public.views.errors.loader.get_template", broken)
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()
