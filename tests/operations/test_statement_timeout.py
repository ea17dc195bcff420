"""On PostgreSQL a slow statement cannot hold a worker longer than the request's statement timeout."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="statement_timeout is PostgreSQL's; SQLite has no equivalent",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def fresh_connection(client, settings):
    """The next request opens a new connection with a short public timeout."""
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 100
    settings.ADMIN_STATEMENT_TIMEOUT_MS = 2000
    client.get("/robots.txt")  # builds the middleware, which watches new connections
    connection.close()
    yield
    connection.close()  # later tests get a connection without the short limit


def statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def sleep_before_each_statement(execute, sql, params, many, context):
    execute("SELECT pg_sleep(0.3)", (), False, context)
    return execute(sql, params, many, context)


def test_a_public_request_whose_statement_is_too_slow_gets_the_503_page(fresh_connection):
    reader = Client(raise_request_exception=False)
    reader.get("/")
    with connection.execute_wrapper(sleep_before_each_statement):
        response = reader.get("/search/?q=从未搜索过的词")

    assert response.status_code == 503
    assert "网站正在恢复服务" in response.content.decode()


def test_admin_requests_run_under_the_admin_limit_and_give_the_public_one_back(fresh_connection, superuser):
    staff = Client()
    staff.force_login(superuser)
    staff.get("/robots.txt")
    assert statement_timeout() == "100ms"

    with CaptureQueriesContext(connection) as queries:
        assert staff.get("/admin/reports/report/").status_code == 200

    limits = [query["sql"] for query in queries if "statement_timeout" in query["sql"]]
    assert limits == [
        "SELECT set_config('statement_timeout', '2000ms', false)",
        "SELECT set_config('statement_timeout', '100ms', false)",
    ]
    assert statement_timeout() == "100ms"
