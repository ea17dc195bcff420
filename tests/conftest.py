from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from reports.models import Organization
from tests import factories


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: ids of rolled-back rows come back, and pages cached under them would lie."""
    for alias in caches:
        caches[alias].clear()


@pytest.fixture
def pandong(db):
    """磐东街道 of 揭东区, as the demo fixture defines them (without the demo report)."""
    call_command("loaddata", settings.BASE_DIR / "fixtures" / "0001_organizations.json", verbosity=0)
    return Organization.objects.get(slug="pandong")


@pytest.fixture
def organization(db):
    return factories.make_organization()


@pytest.fixture
def other_organization(db):
    return factories.make_organization()


@pytest.fixture
def clerk(organization):
    return factories.make_clerk(organization)


@pytest.fixture
def other_clerk(other_organization):
    return factories.make_clerk(other_organization)


@pytest.fixture
def editor(organization):
    return factories.make_editor(organization)


@pytest.fixture
def auditor(db):
    return factories.make_auditor()


@pytest.fixture
def superuser(db):
    return factories.make_user(is_superuser=True)


@pytest.fixture
def report(organization, clerk):
    return factories.make_report(organization=organization, author=clerk)


@pytest.fixture
def published_report(organization, clerk, editor):
    return factories.make_published_report(organization=organization, author=clerk, editor=editor)


class Clock:
    """A "now" that only moves when a test moves it."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Freeze ``django.utils.timezone.now`` (what the services stamp times with) and move it by hand."""
    frozen = Clock(datetime(2020, 5, 27, 8, 56, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen
