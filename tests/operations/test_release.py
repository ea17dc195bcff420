"""Shared cache keys name the release and the database: another release or a restored database reads none."""

import importlib.metadata
from datetime import UTC, datetime

import pytest
from django.core.cache import caches

from operations import release
from operations.models import DatabaseRestore

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings):
    """The cache as REDIS_URL configures it, kept in this process."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "operations.release.cache_key",
        }
    }
    release.forget()
    caches["default"].set("rendered:page:1", "<html>")
    yield caches["default"]
    release.forget()


def as_a_new_process() -> None:
    release.forget()


def test_a_restored_database_reads_none_of_the_entries_cached_for_it_before(shared_cache):
    DatabaseRestore.objects.create(archive="portal.tar", backed_up_at=datetime(2026, 3, 1, tzinfo=UTC))
    as_a_new_process()

    assert shared_cache.get("rendered:page:1") is None


def test_a_release_with_another_package_version_reads_none_of_the_old_entries(shared_cache, monkeypatch):
    installed = list(importlib.metadata.distributions())
    upgraded = [
        *installed[:-1],
        type("Dist", (), {"metadata": {"Name": installed[-1].metadata["Name"]}, "version": "99"}),
    ]
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: upgraded)
    as_a_new_process()

    assert shared_cache.get("rendered:page:1") is None


def test_a_release_with_another_template_reads_none_of_the_old_entries(settings, tmp_path):
    template = tmp_path / "footer.html"
    template.write_text("<footer>2025</footer>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    as_a_new_process()
    before = release.fingerprint()

    template.write_text("<footer>2026</footer>")
    as_a_new_process()

    assert release.fingerprint() != before


def test_a_changed_setting_reads_none_of_the_old_entries(shared_cache, settings):
    settings.PORTAL_SITE_NAME = "另一个网站"

    assert shared_cache.get("rendered:page:1") is None


def test_the_same_release_on_the_same_database_reads_its_entries(shared_cache):
    as_a_new_process()

    assert shared_cache.get("rendered:page:1") == "<html>"
