"""/healthz and /readyz for load balancers and monitors; metrics only for the scraper."""

import json
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

from operations import health


def unreachable(*args, **kwargs):
    raise OperationalError("connection to server at 10.1.2.3 failed")


@pytest.fixture
def probe():
    """A load balancer: by address, over plain http, with no session."""
    return Client(HTTP_HOST="10.0.0.5:8000")


@pytest.fixture
def per_process_cache(settings):
    """No REDIS_URL, whatever the suite runs with."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_healthz_answers_without_the_database_or_a_known_host(probe, settings):
    """No django_db mark: any database access would fail the test."""
    settings.SECURE_SSL_REDIRECT = True
    response = probe.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers_and_every_migration_is_applied(probe, per_process_cache):
    response = probe.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "migrations": "ok", "cache": "per-process"}


@pytest.mark.django_db
def test_readyz_is_unavailable_without_the_database_and_tells_no_details(probe, per_process_cache):
    with mock.patch.object(connection, "ensure_connection", unreachable):
        response = probe.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "migrations": "unknown",
        "cache": "per-process",
    }
    assert b"10.1.2.3" not in response.content


@pytest.mark.django_db
def test_readyz_is_unavailable_while_a_migration_of_the_release_is_not_applied(probe, monkeypatch):
    release = health._release_migrations() | {("reports", "9999_not_applied_yet")}
    monkeypatch.setattr(health, "_release_migrations", lambda: release)

    response = probe.get("/readyz")

    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db
def test_readyz_reports_a_cache_outage_without_failing(probe, settings, redis_server):
    settings.CACHES = {"default": {"BACKEND": "operations.cache.ResilientRedisCache", "LOCATION": redis_server.url}}
    assert probe.get("/readyz").json()["cache"] == "ok"
    redis_server.stop()

    response = probe.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "migrations": "ok", "cache": "unavailable"}


@pytest.mark.parametrize(
    ("address", "headers", "status"),
    [
        ("127.0.0.1", {}, 200),
        ("10.0.0.9", {}, 404),  # not an allowed address
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}, 404),  # relayed by the proxy: a reader
    ],
)
def test_metrics_answer_only_allowed_addresses_connecting_directly(settings, address, headers, status):
    settings.PROMETHEUS_METRICS = True
    response = Client(REMOTE_ADDR=address, **headers).get("/metrics")

    assert response.status_code == status
    assert (b"python_info" in response.content) == (status == 200)


def test_there_are_no_metrics_unless_turned_on(settings):
    settings.PROMETHEUS_METRICS = False
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404


@pytest.mark.slow
def test_prometheus_metrics_setting_counts_every_request():
    """PROMETHEUS_METRICS=1 as production sets it: django-prometheus's app and middleware around the stack."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(REMOTE_ADDR='127.0.0.1')\n"
        "client.get('/healthz')\n"
        "print(client.get('/metrics').content.decode())\n"
    )
    env = {**os.environ, "PROMETHEUS_METRICS": "1", "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout

    assert "django_http_requests_before_middlewares_total 2.0" in output  # /healthz, then /metrics


@pytest.mark.django_db
def test_each_request_is_one_log_line_with_status_time_and_statements(client, caplog):
    caplog.set_level("INFO", logger="operations.requests")
    client.get("/search/?q=法治")

    [record] = [record for record in caplog.records if record.name == "operations.requests"]
    assert (record.method, record.path, record.status) == ("GET", "/search/", 200)
    assert record.sql >= 1 and record.duration_ms > 0
    assert "法治" not in record.getMessage()  # search terms are the readers'


def test_json_log_lines_carry_the_request_fields(caplog):
    from operations.logs import JsonFormatter

    caplog.set_level("INFO", logger="operations.requests")
    import logging

    logging.getLogger("operations.requests").info("GET / 200", extra={"status": 200, "sql": 2})

    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert line["message"] == "GET / 200"
    assert (line["level"], line["logger"], line["status"], line["sql"]) == ("INFO", "operations.requests", 200, 2)
