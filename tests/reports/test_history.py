"""Revisions, restoring, and what the public saw when (reports/history/)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from reports import services
from reports.history import publication, timeline
from reports.history.hashchain import chained_hash, event_payload, first_break, revision_payload
from reports.history.revisions import apply_snapshot, snapshot
from reports.models import Attachment, Report, ReportState, Revision, WorkflowAction, WorkflowEvent
from tests import factories

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def edit_first_item(report, user, body, comment=""):
    item = report.sections.first().items.first()
    item.body = body
    item.save()
    return services.record_edit(report=report, user=user, comment=comment)


def republish(report, *, clerk, editor, body, note="", note_is_public=False, at=None):
    """Edit a published report, take it through review and publish it again."""
    edit_first_item(report, clerk, body)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, at=at, note=note, note_is_public=note_is_public)
    report.refresh_from_db()
    return report.revisions.order_by("-number").first()


# --- Revisions ---------------------------------------------------------------------------


def test_a_real_change_records_a_new_revision_with_comment(report, clerk):
    before = report.revisions.count()

    revision = edit_first_item(report, clerk, "<p>新的正文。</p>", comment="更正数据")

    assert revision.number == before + 1
    assert revision.comment == "更正数据"
    assert revision.author == clerk
    assert revision.previous_hash == report.revisions.get(number=before).hash
    assert revision.content["sections"][0]["items"][0]["body"] == "<p>新的正文。</p>"
    assert report.events.order_by("-sequence").first().revision == revision


def test_a_save_that_changes_nothing_records_no_revision_and_no_event(report, clerk):
    revisions, events, version = report.revisions.count(), report.events.count(), report.version

    assert services.record_edit(report=report, user=clerk, comment="没改什么") is None

    report.refresh_from_db()
    assert (report.revisions.count(), report.events.count(), report.version) == (revisions, events, version)


def test_revision_keeps_the_exact_content_of_its_time(report, clerk):
    content_then = snapshot(report)
    number_then = report.revisions.order_by("-number").first().number

    edit_first_item(report, clerk, "<p>后来改成这样。</p>")

    assert report.revisions.get(number=number_then).content == content_then
    assert snapshot(report) != content_then


def test_applying_a_snapshot_rebuilds_the_same_content(report, clerk):
    old = report.revisions.order_by("-number").first()
    edit_first_item(report, clerk, "<p>改动。</p>")
    report.sections.last().delete()
    report.tags.add("新标签")

    apply_snapshot(report, old.content)

    assert snapshot(report) == old.content


def test_an_edit_of_a_published_report_is_recorded_as_a_draft_revision(published_report, clerk):
    revision = edit_first_item(published_report, clerk, "<p>发布后修改。</p>")

    assert revision.state == ReportState.DRAFT


# --- Restoring ---------------------------------------------------------------------------


def test_restore_makes_a_new_draft_revision_and_leaves_history_alone(published_report, clerk, editor):
    report = published_report
    original = report.revisions.get(number=2)
    republish(report, clerk=clerk, editor=editor, body="<p>第二次发布的正文。</p>")
    hashes_before = list(report.revisions.order_by("number").values_list("hash", flat=True))

    restored = services.restore_revision(revision=original, user=editor)

    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert restored.number == len(hashes_before) + 1
    assert restored.comment == "恢复自第 2 版"
    assert restored.state == ReportState.DRAFT
    assert restored.content == original.content
    assert list(report.revisions.order_by("number").values_list("hash", flat=True))[:-1] == hashes_before
    event = report.events.order_by("-sequence").first()
    assert (event.action, event.revision, event.comment) == (WorkflowAction.RESTORE, restored, "恢复自第 2 版")


def test_restore_does_not_change_what_the_public_sees(published_report, editor):
    public_before = publication.public_revision_at(published_report)

    services.restore_revision(revision=published_report.revisions.get(number=1), user=editor)

    assert publication.public_revision_at(published_report) == public_before


def test_restored_draft_goes_through_review_again(published_report, clerk, editor):
    # Revision 1 is the empty shell the factory starts from; revision 2 is the complete report that was published.
    factories.edit_report(published_report, user=clerk, preamble="<p>改过的导语。</p>")
    services.restore_revision(revision=published_report.revisions.get(number=2), user=editor)

    with pytest.raises(services.WorkflowError):
        services.publish(report=published_report, user=editor)
    services.submit_for_review(report=published_report, user=clerk)


def test_restore_makes_the_attachments_those_the_revision_names(report, clerk, editor):
    named = Attachment.objects.create(
        report=report, file=ContentFile(b"%PDF-1.4", name="a.pdf"), display_name="附件一", sha256="ab" * 32
    )
    with_it = services.record_edit(report=report, user=clerk)
    named.detach()
    later = Attachment.objects.create(
        report=report, file=ContentFile(b"%PDF-1.5", name="b.pdf"), display_name="附件二", sha256="cd" * 32
    )
    services.record_edit(report=report, user=clerk)

    restored = services.restore_revision(revision=with_it, user=editor)

    assert restored.content["attachments"] == with_it.content["attachments"]
    assert list(report.attachments.attached()) == [named]
    later.refresh_from_db()
    assert later.detached_at is not None and later.file.storage.exists(later.file.name)


def test_restoring_content_identical_to_the_working_copy_is_refused(report, editor):
    latest = report.revisions.order_by("-number").first()

    with pytest.raises(services.WorkflowError, match="无需恢复"):
        services.restore_revision(revision=latest, user=editor)
    assert report.revisions.count() == latest.number


@pytest.mark.parametrize("who", ["clerk", "auditor", "other_editor"])
def test_only_an_editor_of_the_organization_may_restore(report, clerk, auditor, who):
    user = {"clerk": clerk, "auditor": auditor, "other_editor": factories.make_editor(factories.make_organization())}[
        who
    ]
    count = report.revisions.count()

    with pytest.raises(services.WorkflowError):
        services.restore_revision(revision=report.revisions.get(number=1), user=user)
    assert report.revisions.count() == count


# --- What the public saw when ------------------------------------------------------------


def test_public_revision_across_publish_edit_republish_and_withdraw(clock, organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk)
    created = clock.now
    assert publication.public_revision_at(report) is None

    published_at = clock.advance(days=1)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)
    first = report.revisions.order_by("-number").first()

    edited_at = clock.advance(days=1)
    edit_first_item(report, clerk, "<p>修改中，尚未发布。</p>")

    republished_at = clock.advance(days=1)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, note="更正第一条数据", note_is_public=True)
    second = report.revisions.order_by("-number").first()

    withdrawn_at = clock.advance(days=1)
    services.withdraw(report=report, user=editor, reason="内容有误")
    later = clock.advance(days=1)

    expectations = [
        (created, None),
        (published_at - timedelta(seconds=1), None),
        (published_at, first),
        (edited_at, first),
        (republished_at - timedelta(seconds=1), first),
        (republished_at, second),
        (withdrawn_at - timedelta(seconds=1), second),
        (withdrawn_at, None),
        (later, None),
    ]
    for at, expected in expectations:
        assert publication.public_revision_at(report, at) == expected, at

    periods = [(p.revision_number, p.start, p.end) for p in publication.publication_periods(report)]
    assert periods == [
        (first.number, published_at, republished_at),
        (second.number, republished_at, withdrawn_at),
    ]


def test_a_scheduled_publication_takes_effect_at_its_time(clock, report, clerk, editor):
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    go_live = clock.now + timedelta(days=2)
    services.publish(report=report, user=editor, at=go_live.astimezone(SHANGHAI))
    revision = report.revisions.order_by("-number").first()

    assert publication.public_revision_at(report) is None
    assert publication.public_revision_at(report, go_live - timedelta(seconds=1)) is None
    assert publication.public_revision_at(report, go_live) == revision
    [period] = publication.publication_periods(report)
    assert (period.start, period.end, period.is_scheduled) == (go_live, None, True)


def test_withdrawing_a_schedule_means_it_never_goes_public(clock, report, clerk, editor):
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    go_live = clock.now + timedelta(days=2)
    services.publish(report=report, user=editor, at=go_live)
    clock.advance(days=1)
    services.withdraw(report=report, user=editor, reason="推迟发布")

    assert publication.public_revision_at(report, go_live + timedelta(days=1)) is None
    assert publication.publication_periods(report) == []


def test_a_later_publication_overrides_an_earlier_schedule(clock, published_report, clerk, editor):
    report = published_report
    first = publication.public_revision_at(report)
    clock.advance(hours=1)
    scheduled_for = clock.now + timedelta(days=3)
    scheduled = republish(report, clerk=clerk, editor=editor, body="<p>定时版本。</p>", at=scheduled_for)
    clock.advance(days=1)
    services.withdraw(report=report, user=editor, reason="重新安排")
    clock.advance(hours=1)
    immediate = republish(report, clerk=clerk, editor=editor, body="<p>立即发布的版本。</p>")

    assert publication.public_revision_at(report, scheduled_for + timedelta(days=1)) == immediate
    numbers = [p.revision_number for p in publication.publication_periods(report)]
    assert numbers == [first.number, immediate.number]
    assert scheduled.number not in numbers


# --- Public update notes -----------------------------------------------------------------


def test_update_notes_list_public_notes_of_republications_newest_first(clock, organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, note="首次发布", note_is_public=True)
    clock.advance(days=3)
    first_update = clock.now
    republish(report, clerk=clerk, editor=editor, body="<p>一</p>", note="更正统计数字", note_is_public=True)
    clock.advance(days=3)
    republish(report, clerk=clerk, editor=editor, body="<p>二</p>", note="内部说明，不公开")
    clock.advance(days=3)
    last_update = clock.now
    latest = republish(report, clerk=clerk, editor=editor, body="<p>三</p>", note="补充附件说明", note_is_public=True)

    notes = publication.public_update_notes(report, latest.pk)

    assert notes == [
        {"date": last_update, "note": "补充附件说明"},
        {"date": first_update, "note": "更正统计数字"},
    ]


def test_update_notes_stop_at_the_revision_shown(clock, published_report, clerk, editor):
    report = published_report
    clock.advance(days=1)
    shown = republish(report, clerk=clerk, editor=editor, body="<p>一</p>", note="第一次更正", note_is_public=True)
    clock.advance(days=1)
    republish(report, clerk=clerk, editor=editor, body="<p>二</p>", note="第二次更正", note_is_public=True)

    assert [note["note"] for note in publication.public_update_notes(report, shown.pk)] == ["第一次更正"]


def test_a_scheduled_republication_note_is_not_shown_before_it_goes_live(clock, published_report, clerk, editor):
    shown = publication.public_revision_at(published_report)
    republish(
        published_report,
        clerk=clerk,
        editor=editor,
        body="<p>明天发布。</p>",
        note="明天的更正",
        note_is_public=True,
        at=clock.now + timedelta(days=1),
    )

    assert publication.public_update_notes(published_report, shown.pk) == []


# --- Timeline ----------------------------------------------------------------------------


def test_timeline_interleaves_revisions_and_events_in_time(clock, organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk)
    clock.advance(minutes=5)
    edit_first_item(report, clerk, "<p>再改一次。</p>")
    clock.advance(minutes=5)
    services.submit_for_review(report=report, user=clerk)

    rows = [
        f"revision {entry.revision.number}" if entry.is_revision else f"event {entry.event.action}"
        for entry in timeline.timeline(report)
    ]

    assert rows == [
        "revision 1",
        "event create",
        "revision 2",
        "event edit",
        "revision 3",
        "event edit",
        "event submit",
    ]


def test_timeline_marks_the_revisions_that_were_public(published_report):
    public = publication.public_revision_at(published_report)

    marked = [entry.revision for entry in timeline.timeline(published_report) if entry.is_revision and entry.periods]

    assert marked == [public]


# --- Append-only -------------------------------------------------------------------------


def test_a_saved_revision_cannot_be_saved_again(report):
    revision = report.revisions.first()
    revision.comment = "改写历史"

    with pytest.raises(PermissionError):
        revision.save()


def test_a_new_instance_with_an_existing_pk_does_not_overwrite_the_row(report):
    original = report.revisions.first()
    forged = Revision(**{f.attname: getattr(original, f.attname) for f in Revision._meta.concrete_fields})
    forged.comment = "改写历史"

    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    assert Revision.objects.get(pk=original.pk).comment == original.comment


@pytest.mark.parametrize("model", [Revision, WorkflowEvent])
def test_history_rows_refuse_delete_and_queryset_update_and_delete(report, model):
    row = model.objects.filter(report=report).first()

    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        model.objects.filter(pk=row.pk).update(comment="改写")
    with pytest.raises(PermissionError):
        model.objects.filter(pk=row.pk).delete()
    with pytest.raises(PermissionError):
        model.objects.bulk_create([row], update_conflicts=True, unique_fields=["pk"], update_fields=["comment"])
    assert model.objects.filter(pk=row.pk).exists()


def test_a_report_with_history_cannot_be_deleted(report):
    with pytest.raises(ProtectedError):
        report.delete()
    assert Report.objects.filter(pk=report.pk).exists()


# --- Hash chain --------------------------------------------------------------------------


def test_chains_verify_including_a_schedule_given_in_local_time(clock, report, clerk, editor):
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, at=(clock.now + timedelta(hours=2)).astimezone(SHANGHAI))

    revisions = Revision.objects.filter(report=report).order_by("number")
    events = WorkflowEvent.objects.filter(report=report).order_by("sequence")
    assert first_break(revisions, payload=revision_payload, position="number") is None
    assert first_break(events, payload=event_payload, position="sequence") is None


def test_first_break_names_a_gap_a_broken_link_and_a_changed_record(report, clerk):
    edit_first_item(report, clerk, "<p>第三版。</p>")
    revisions = list(Revision.objects.filter(report=report).order_by("number"))

    gap = first_break([revisions[0], revisions[2]], payload=revision_payload, position="number")
    assert (gap.position, "缺失" in gap.reason) == (3, True)

    revisions[1].previous_hash = "0" * 64
    link = first_break(revisions, payload=revision_payload, position="number")
    assert (link.position, "previous_hash" in link.reason) == (2, True)

    revisions = list(Revision.objects.filter(report=report).order_by("number"))
    revisions[2].comment = "改过"
    changed = first_break(revisions, payload=revision_payload, position="number")
    assert (changed.position, changed.reason) == (3, "哈希值与记录内容不符")


def test_hash_covers_previous_hash_and_canonical_payload(report):
    revision = report.revisions.order_by("-number").first()

    assert revision.hash == chained_hash(revision_payload(revision), revision.previous_hash)
    assert revision_payload(revision)["created_at"].endswith("+00:00")
