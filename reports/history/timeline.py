"""A report's history for the auditors' screens and the export: revisions and events interleaved.

The export carries each record's exact hashed payload, so an outside auditor can verify
it with the standard library alone (see the README, "Canonical form").
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from reports.history.hashchain import event_payload, revision_payload, timestamp
from reports.history.publication import PublicationPeriod, publication_periods
from reports.models import Report, Revision, WorkflowEvent

# A publish takes effect a moment after its event is stamped; only a real difference
# (a schedule) is worth showing.
EFFECTIVE_AT_SHOWN_FROM = timedelta(minutes=1)
EXPORT_FORMAT = "rule-of-law-portal/report-history"
EXPORT_VERSION = 1


@dataclass
class TimelineEntry:
    """A revision or a workflow event, as one row of the interleaved history."""

    at: datetime
    revision: Revision | None = None
    event: WorkflowEvent | None = None
    periods: list[PublicationPeriod] = field(default_factory=list)

    @property
    def is_revision(self) -> bool:
        return self.revision is not None

    @property
    def publication(self) -> str:
        """For a revision: "current", "scheduled", "past" or "" (never public)."""
        if any(period.is_current for period in self.periods):
            return "current"
        if any(period.is_scheduled for period in self.periods):
            return "scheduled"
        return "past" if self.periods else ""

    @property
    def effective_at(self) -> datetime | None:
        """For a publish or withdraw event: when it took effect, if not when it was recorded."""
        effective = self.event.effective_at if self.event else None
        if effective is None or abs(effective - self.event.created_at) < EFFECTIVE_AT_SHOWN_FROM:
            return None
        return effective


def timeline(report: Report) -> list[TimelineEntry]:
    """Revisions and workflow events of a report, oldest first, in a fixed number of queries.

    Revisions are loaded without their content. Each list is already in its true order
    (number, sequence), so the two are merged rather than sorted: where times are equal,
    a revision goes before the first event that refers to it or to a later revision.
    """
    revisions = list(report.revisions.select_related("author").defer("content", "search_text").order_by("number"))
    events = list(
        report.events.select_related("actor").annotate(revision_number=F("revision__number")).order_by("sequence")
    )
    periods_by_revision: dict[int, list[PublicationPeriod]] = {}
    for period in publication_periods(report):
        periods_by_revision.setdefault(period.revision_id, []).append(period)

    def revision_first(revision: Revision, event: WorkflowEvent) -> bool:
        if revision.created_at != event.created_at:
            return revision.created_at < event.created_at
        return event.revision_number is not None and revision.number <= event.revision_number

    entries: list[TimelineEntry] = []
    r = e = 0
    while r < len(revisions) or e < len(events):
        if e == len(events) or (r < len(revisions) and revision_first(revisions[r], events[e])):
            revision = revisions[r]
            entries.append(
                TimelineEntry(
                    at=revision.created_at, revision=revision, periods=periods_by_revision.get(revision.pk, [])
                )
            )
            r += 1
        else:
            entries.append(TimelineEntry(at=events[e].created_at, event=events[e]))
            e += 1
    return entries


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def export_history(report: Report) -> dict:
    """A report's full history as JSON data an outside auditor can verify with the standard library.

    Each record carries exactly the ``payload`` its hash was computed from, so checking
    needs no knowledge of the database; names beside the payload are for reading only.
    """
    revisions = report.revisions.select_related("author").order_by("number")
    events = report.events.select_related("actor").order_by("sequence")
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timestamp(timezone.now()),
        "hash_rule": "sha256(previous_hash + canonical_json(payload)); canonical_json = "
        "json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(',', ':')), UTF-8",
        "report": {
            "id": report.pk,
            "index_number": report.index_number,
            "organization": report.organization.name,
            "year": report.year,
            "title": str(report),
        },
        "revisions": [
            {
                "id": revision.pk,
                "author_name": _person(revision.author),
                "payload": revision_payload(revision),
                "previous_hash": revision.previous_hash,
                "hash": revision.hash,
            }
            for revision in revisions
        ],
        "events": [
            {
                "id": event.pk,
                "actor_name": _person(event.actor),
                "payload": event_payload(event),
                "previous_hash": event.previous_hash,
                "hash": event.hash,
            }
            for event in events
        ],
    }
