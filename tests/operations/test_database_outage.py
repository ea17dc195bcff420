"""While the database cannot be reached, pages answer a Chinese 503 page, and the log says so once a minute."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from operations.database import server_error
from tests import seed

pytestmark = pytest.mark.django_db

PAGES = ["/", "/reports/2019/pandong/", "/reports/", "/search/?q=法治", "/feeds/atom.xml", "/sitemap.xml"]


def unreachable(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@pytest.fixture
def reader():
    # The test client re-raises a view's exception by default; a browser gets the response.
    return Client(raise_request_exception=False)


@pytest.fixture
def staff_reader(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


@pytest.fixture
def seed_report(db):
    return seed.load_seed_fixture()


@pytest.mark.parametrize(
    ("who", "page"), [*(("reader", page) for page in PAGES), ("staff_reader", "/admin/reports/report/")]
)
def test_pages_answer_a_chinese_503_page_while_the_database_is_unreachable(request, seed_report, settings, who, page):
    reader = request.getfixturevalue(who)
    reader.get(page)  # cached pages must not hide the outage either: the facts come from the database
    with mock.patch.object(connection, "ensure_connection", unreachable):
        response = reader.get(page)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "网站正在恢复服务，请稍后再试" in html
    assert settings.PORTAL_SITE_NAME in html and settings.PORTAL_SPONSOR in html  # header and footer
    assert "Traceback" not in html and "127.0.0.1" not in html and "5432" not in html
    assert seed_report.title not in html


def test_an_outage_is_logged_once_not_once_a_request(reader, seed_report, caplog):
    caplog.set_level(logging.INFO)
    with mock.patch.object(connection, "ensure_connection", unreachable):
        for page in PAGES:
            assert reader.get(page).status_code == 503

    logged = [(record.name, record.levelname) for record in caplog.records if record.name != "operations.requests"]
    assert logged == [("operations.database", "WARNING")]
    assert caplog.records[0].getMessage().startswith("Database unavailable: OperationalError: connection to server")


def test_the_site_answers_again_once_the_database_is_back(reader, seed_report, caplog):
    caplog.set_level(logging.WARNING, logger="operations.database")
    with mock.patch.object(connection, "ensure_connection", unreachable):
        assert reader.get(PAGES[1]).status_code == 503

    assert [reader.get(page).status_code for page in PAGES] == [200] * len(PAGES)
    assert caplog.records[-1].getMessage().startswith("Database available again after")


def test_other_server_errors_keep_the_500_page(rf):
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "抱歉，网站暂时出现故障" in response.content.decode()
