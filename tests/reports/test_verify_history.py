"""Tamper evidence end to end: ``verify_history``, ``export_history`` and the README's verifier."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from reports import services
from reports.history.hashchain import chained_hash, revision_payload
from reports.models import Report, Revision, WorkflowAction, WorkflowEvent
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_failure() -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_history", stdout=io.StringIO(), stderr=err)
    return failure.value, err.getvalue()


def raw_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def readme_verifier():
    """The ``verify`` function exactly as the README documents it."""
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 审计与历史记录 / History and tamper evidence", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102  (our own documentation, checked as code)
    return namespace["verify"]


def test_verify_history_prints_ok_with_counts(published_report):
    factories.make_report()

    out, err = run("verify_history")

    revisions, events = Revision.objects.count(), WorkflowEvent.objects.count()
    assert out.startswith("OK")
    assert f"2 份报告的 {revisions} 个历史版本和 {events} 条流程记录" in out
    assert err == ""


def test_verify_history_names_a_revision_whose_content_was_changed_by_sql(published_report):
    revision = published_report.revisions.get(number=1)
    content = {**revision.content, "title": "被篡改的标题"}
    raw_sql(
        f"UPDATE {Revision._meta.db_table} SET content = %s WHERE id = %s",  # noqa: S608
        [json.dumps(content), revision.pk],
    )

    error, stderr = verify_failure()

    assert error.returncode == 1
    assert f"报告 {published_report.pk}" in stderr
    assert f"历史版本：序号 1（id {revision.pk}）：哈希值与记录内容不符" in stderr


def test_verify_history_names_an_event_whose_comment_was_changed_by_sql(published_report):
    event = published_report.events.get(action="publish")
    raw_sql(
        f"UPDATE {WorkflowEvent._meta.db_table} SET comment = %s WHERE id = %s",  # noqa: S608
        ["事后补写", event.pk],
    )

    error, stderr = verify_failure()

    assert error.returncode == 1
    assert f"流程记录：序号 {event.sequence}（id {event.pk}）：哈希值与记录内容不符" in stderr
    assert "历史版本" not in stderr


def test_verify_history_catches_a_deleted_event(published_report):
    event = published_report.events.get(sequence=2)
    raw_sql(f"DELETE FROM {WorkflowEvent._meta.db_table} WHERE id = %s", [event.pk])  # noqa: S608

    _error, stderr = verify_failure()

    assert "序号为 3，应为 2" in stderr


def test_verify_history_catches_a_rehashed_record_by_its_successor(published_report):
    """Recomputing a changed record's own hash still breaks the next record's link."""
    revision = published_report.revisions.get(number=1)
    revision.comment = "改写"
    forged_hash = chained_hash(revision_payload(revision), revision.previous_hash)
    raw_sql(
        f"UPDATE {Revision._meta.db_table} SET comment = %s, hash = %s WHERE id = %s",  # noqa: S608
        ["改写", forged_hash, revision.pk],
    )

    _error, stderr = verify_failure()

    assert "序号 2" in stderr and "previous_hash" in stderr


def test_export_history_finds_a_report_by_pk_index_number_or_year_and_slug(published_report):
    org = published_report.organization
    outputs = {
        key: json.loads(run("export_history", key)[0])
        for key in (str(published_report.pk), published_report.index_number, f"{published_report.year}/{org.slug}")
    }

    assert {data["report"]["id"] for data in outputs.values()} == {published_report.pk}


@pytest.mark.parametrize("identifier", ["999999", "2019/no-such-org", "不存在", "../../etc/passwd"])
def test_export_history_of_an_unknown_report_is_a_clear_error(db, identifier):
    with pytest.raises(CommandError, match="找不到报告"):
        run("export_history", identifier)


def test_exported_history_verifies_with_the_readme_snippet(published_report, tmp_path, capsys):
    path = tmp_path / "history.json"
    run("export_history", str(published_report.pk), "-o", str(path))

    readme_verifier()(path)

    revisions, events = published_report.revisions.count(), published_report.events.count()
    assert capsys.readouterr().out.strip() == f"OK: {revisions} revisions, {events} events"


def test_the_readme_snippet_rejects_an_edited_export(published_report, tmp_path):
    data = json.loads(run("export_history", str(published_report.pk))[0])
    data["events"][-1]["payload"]["comment"] = "导出后改过"
    path = tmp_path / "history.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(SystemExit, match="events: record"):
        readme_verifier()(path)


def test_verify_history_names_a_publication_pointer_that_disagrees_with_the_events(published_report):
    Report.objects.filter(pk=published_report.pk).update(live_revision=None, live_since=None)

    error, err = verify_failure()

    assert f"报告 {published_report.pk}：公开版本指针为版本 -" in err
    assert "发现 1 处问题" in str(error)


def test_verify_history_names_a_publish_event_back_dated_before_its_own_record(report, clerk, editor):
    """Records like those the old importer made: "published" on the day the pasted page said."""
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    services.record_event(
        report=locked,
        user=editor,
        action=WorkflowAction.PUBLISH,
        from_state=locked.state,
        revision=report.revisions.last(),
        effective_at=timezone.now() - timedelta(days=365),
    )
    Report.objects.filter(pk=report.pk).update(live_revision=report.revisions.last(), live_since=timezone.now())

    _error, err = verify_failure()

    assert "发布生效时间" in err
    assert "早于记录时间" in err
