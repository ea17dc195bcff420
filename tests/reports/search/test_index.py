"""The index follows publication: written once per revision made public or scheduled, read only while public."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS
from django.urls import reverse

from reports import services
from reports.models import SearchPosting, SearchText
from reports.search.indexing import index_missing
from tests import factories, seed

pytestmark = pytest.mark.django_db


def found(client, q) -> str:
    return client.get(reverse("reports:search"), {"q": q}).content.decode()


def test_publishing_indexes_the_public_revision_once(published_report, editor):
    revision = published_report.live_revision
    texts = SearchText.objects.filter(revision=revision).count()

    services.withdraw(report=published_report, user=editor, reason="更正")
    services.record_edit(report=published_report, user=published_report.created_by)

    assert texts > 0
    assert SearchText.objects.filter(revision=revision).count() == texts


def test_a_schedule_is_indexed_when_set_and_found_once_it_is_due(client, clock, organization):
    report = factories.make_published_report(organization=organization, at=clock.now + timedelta(hours=2))
    assert SearchText.objects.filter(revision=report.pending_revision).exists()
    assert report.get_absolute_url() not in found(client, organization.name)

    clock.advance(hours=2)

    assert report.get_absolute_url() in found(client, organization.name)


def test_a_withdrawn_report_is_no_longer_found(client, published_report, editor):
    services.withdraw(report=published_report, user=editor, reason="更正")
    assert "找到 0 篇" in found(client, published_report.organization.name)


def test_revisions_published_before_the_index_existed_are_indexed_after_migrating(client, published_report):
    SearchText.objects.all().delete()
    SearchPosting.objects.all().delete()

    assert index_missing() == 1
    assert index_missing() == 0
    assert published_report.get_absolute_url() in found(client, "引言")


def test_the_catch_up_runs_on_the_signal_flush_sends_too(client, published_report):
    """``flush`` (a developer's reset, and the test runner's between transactional tests) sends
    ``post_migrate`` without the migration state the catch-up reads: the installed models serve."""
    SearchText.objects.all().delete()
    SearchPosting.objects.all().delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)

    assert published_report.get_absolute_url() in found(client, "引言")


def test_the_demo_report_is_searchable_once_loaded(client):
    report = seed.load_seed_fixture()
    assert report.get_absolute_url() in found(client, "法律顾问")


def test_the_index_can_be_rebuilt_from_scratch(client, published_report):
    out = StringIO()
    call_command("index_search", "--rebuild", stdout=out)
    assert "已为 1 个公开版本建立搜索索引" in out.getvalue()
    assert published_report.get_absolute_url() in found(client, "引言")
