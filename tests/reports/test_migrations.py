"""Data migrations that correct records: the chain is append-only, so corrections are new records."""

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps as installed_apps

from reports.history.hashchain import chained_hash, event_payload

publication_records = importlib.import_module("reports.migrations.0006_publication_records")


@pytest.mark.django_db
def test_back_dated_publish_events_are_corrected_by_an_appended_event():
    """The old importer published a pasted page's "发布时间" as if the report had been public since then.

    The migration's function runs on today's models, which have every field it reads and writes.
    """
    apps = installed_apps
    Organization = apps.get_model("reports", "Organization")
    Report = apps.get_model("reports", "Report")
    Revision = apps.get_model("reports", "Revision")
    WorkflowEvent = apps.get_model("reports", "WorkflowEvent")
    pasted_time = datetime(2025, 3, 20, 2, 0, tzinfo=UTC)
    published_here = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    organization = Organization.objects.create(name="迁移测试街道", slug="migration", code="MIG1")
    report = Report.objects.create(
        organization=organization,
        year=2025,
        title="迁移测试街道2025年度法治政府建设情况报告",
        index_number="MIG1/2025-00001",
        state="published",
        first_published_at=pasted_time,
        imported_published_at=pasted_time,
    )
    revision = Revision(
        report=report, number=1, created_at=published_here, state="draft", title=report.title, content={"tags": []}
    )
    revision.hash, revision.previous_hash = "0" * 64, ""
    revision.save()
    publish = WorkflowEvent(
        report=report,
        sequence=1,
        action="publish",
        from_state="approved",
        to_state="published",
        created_at=published_here,
        revision=revision,
        effective_at=pasted_time,
        previous_hash="",
    )
    publish.hash = chained_hash(event_payload(publish), "")
    publish.save()

    publication_records.fill_pointer_and_correct(apps, schema_editor=None)

    report = apps.get_model("reports", "Report").objects.get(pk=report.pk)
    events = list(apps.get_model("reports", "WorkflowEvent").objects.filter(report=report).order_by("sequence"))
    assert [event.action for event in events] == ["publish", "correct"]
    correction = events[1]
    assert correction.previous_hash == events[0].hash
    assert correction.hash == chained_hash(event_payload(correction), correction.previous_hash)
    assert "并非本网公开的时间" in correction.comment
    assert (report.live_revision_id, report.live_since) == (revision.pk, published_here)
    assert report.first_published_at == published_here
    assert report.imported_published_at is None
