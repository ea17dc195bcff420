"""A cache server outage costs speed, never a page: against a real redis-server the test stops and starts."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from operations import cache as resilient_cache
from tests import seed

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db]

PUBLIC_PAGES = ["/", "/reports/2019/pandong/", "/reports/", "/search/?q=法治"]


@pytest.fixture
def shared_cache(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "operations.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "portal",
        }
    }
    return redis_server


@pytest.fixture
def seed_report(db):
    return seed.load_seed_fixture()


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def statuses(client, admin_client, report) -> dict[str, int]:
    answered = {page: client.get(page).status_code for page in PUBLIC_PAGES}
    for page in (reverse("admin:reports_report_changelist"), reverse("admin:reports_report_change", args=[report.pk])):
        answered[page] = admin_client.get(page).status_code
    return answered


def cache_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "operations.cache"]


def test_every_page_answers_while_the_cache_server_is_down_and_the_outage_is_logged_once(
    client, admin_client, seed_report, shared_cache, caplog
):
    caplog.set_level(logging.WARNING, logger="operations.cache")
    shared_cache.stop()

    for _ in range(3):
        assert set(statuses(client, admin_client, seed_report).values()) == {200}

    warnings = cache_warnings(caplog)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"Cache server {shared_cache.url} unavailable: ConnectionError")


def test_caching_resumes_by_itself_when_the_cache_server_returns(
    client, admin_client, seed_report, shared_cache, caplog, monkeypatch
):
    # Try the server again at once rather than after a second: the test need not wait.
    monkeypatch.setattr(resilient_cache, "RETRY_SECONDS", 0)
    caplog.set_level(logging.WARNING, logger="operations.cache")
    shared_cache.stop()
    assert client.get("/reports/2019/pandong/").status_code == 200

    shared_cache.start()
    assert set(statuses(client, admin_client, seed_report).values()) == {200}

    stored = {key.decode() for key in shared_cache.keys()}
    assert any(":public:page:" in key for key in stored)
    assert any(":public:body:" in key for key in stored)
    assert cache_warnings(caplog)[-1].startswith(f"Cache server {shared_cache.url} available again after")
