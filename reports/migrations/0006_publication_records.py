"""Fill the publication pointer from the events, and correct back-dated publish records.

1. Every report's ``live_revision``/``live_since`` (and a pending schedule) are set from its
   publish and withdraw events, by the rule the history screens use: the event latest in
   the chain (by sequence) among those recorded and in effect by now.
2. Until now, publishing a report imported from a web page stamped the publish event with
   the "发布时间" line found in the pasted text, a time before the event was recorded, so the
   public page, the lists and "public at T" all claimed the report had been public here
   since then. The chain is append-only: each such event gets a later "correct" event
   saying when the report really went public, the report's first publish time becomes
   that real time, and the original site's time, which nobody declared when importing,
   is no longer shown.
3. Each revision's tags are written as rows, which public tag pages read.
4. The public edition starts at the number of publication events.

Self-contained on purpose: the hashing below is a frozen copy of the canonical form in
the README, so later changes to the code cannot change what this migration wrote.
"""

import hashlib
import json
from datetime import UTC, timedelta

from django.db import migrations
from django.utils import timezone

PUBLICATION_ACTIONS = ("publish", "withdraw")
# A publish whose effective time is this much before its own record was back-dated.
BACKDATED_BY = timedelta(minutes=1)


def _timestamp(value):
    return value.astimezone(UTC).isoformat() if value is not None else None


def _event_hash(event) -> str:
    payload = {
        "report": event.report_id,
        "sequence": event.sequence,
        "actor": event.actor_id,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "comment": event.comment,
        "created_at": _timestamp(event.created_at),
        "revision": event.revision_id,
        "effective_at": _timestamp(event.effective_at),
        "secrecy_checked": event.secrecy_checked,
        "comment_is_public": event.comment_is_public,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((event.previous_hash + text).encode("utf-8")).hexdigest()


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _correct_backdated(report, events, WorkflowEvent, now):
    backdated = [
        event
        for event in events
        if event.action == "publish" and event.effective_at and event.effective_at < event.created_at - BACKDATED_BY
    ]
    last = events[-1] if events else None
    for event in backdated:
        comment = (
            f"更正记录：第 {event.sequence} 条流程记录（发布）的生效时间 {_local(event.effective_at)} 早于该记录本身的"
            f"登记时间 {_local(event.created_at)}，系导入时从原网页读取的发布时间，并非本网公开的时间。"
            f"该版本在本网实际公开的时间为 {_local(event.created_at)}。"
        )
        correction = WorkflowEvent(
            report_id=report.pk,
            sequence=last.sequence + 1,
            actor_id=None,
            action="correct",
            from_state=report.state,
            to_state=report.state,
            comment=comment,
            created_at=now,
            revision_id=event.revision_id,
            effective_at=None,
            secrecy_checked=False,
            comment_is_public=False,
            previous_hash=last.hash,
        )
        correction.hash = _event_hash(correction)
        correction.save(force_insert=True)
        last = correction
    return backdated


def fill_pointer_and_correct(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    WorkflowEvent = apps.get_model("reports", "WorkflowEvent")
    PublicEdition = apps.get_model("reports", "PublicEdition")
    now = timezone.now()
    for report in Report.objects.order_by("pk").iterator():
        events = list(WorkflowEvent.objects.filter(report_id=report.pk).order_by("sequence"))
        publications = [event for event in events if event.action in PUBLICATION_ACTIONS]
        in_effect = [
            event
            for event in publications
            if event.effective_at is not None and event.effective_at <= now and event.created_at <= now
        ]
        latest = in_effect[-1] if in_effect else None
        if latest is not None and latest.action == "publish":
            # No event takes effect before it was recorded.
            report.live_revision_id, report.live_since = latest.revision_id, max(latest.effective_at, latest.created_at)
        last = publications[-1] if publications else None
        if last is not None and last.action == "publish" and last.effective_at > now:
            report.pending_revision_id, report.pending_at = last.revision_id, last.effective_at
        backdated = _correct_backdated(report, events, WorkflowEvent, now)
        if backdated:
            went_public = [max(e.effective_at, e.created_at) for e in in_effect if e.action == "publish"]
            report.first_published_at = min(went_public, default=None)
        # Only an import that explicitly declares an original site's publish time may show
        # one; no earlier import did, so none is kept (the import event still names it).
        report.imported_published_at = None
        report.save(
            update_fields=[
                "live_revision",
                "live_since",
                "pending_revision",
                "pending_at",
                "first_published_at",
                "imported_published_at",
            ]
        )
    RevisionTag = apps.get_model("reports", "RevisionTag")
    Revision = apps.get_model("reports", "Revision")
    for revision in Revision.objects.order_by("pk").only("pk", "content").iterator():
        names = revision.content.get("tags", [])
        RevisionTag.objects.bulk_create([RevisionTag(revision_id=revision.pk, name=name) for name in names])
    number = WorkflowEvent.objects.filter(action__in=PUBLICATION_ACTIONS).count()
    PublicEdition.objects.update_or_create(pk=1, defaults={"number": number})


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_publication_pointer"),
    ]

    operations = [
        migrations.RunPython(fill_pointer_and_correct, migrations.RunPython.noop, elidable=False),
    ]
