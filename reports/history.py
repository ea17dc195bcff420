"""Reading a report's history: what the public saw when, the interleaved timeline, the export.

Every answer about "what was public" comes from ``ReportQuerySet.with_public_revision``,
so the auditors' screens and the public site cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from reports.hashchain import event_payload, revision_payload, timestamp
from reports.models import Report, Revision, WorkflowAction, WorkflowEvent

PUBLICATION_ACTIONS = (WorkflowAction.PUBLISH, WorkflowAction.WITHDRAW)
# A publish takes effect a moment after its event is stamped; only a real difference
# (a schedule, an imported original publish time) is worth showing.
EFFECTIVE_AT_SHOWN_FROM = timedelta(minutes=1)
EXPORT_FORMAT = "rule-of-law-portal/report-history"
EXPORT_VERSION = 1


def public_revision_at(report: Report, at: datetime | None = None) -> Revision | None:
    """The revision the public saw at ``at`` (default: now), or None if nothing was public."""
    public = Report.objects.filter(pk=report.pk).with_public_revision(at).values("public_revision_id")
    return Revision.objects.select_related("author").filter(pk=Subquery(public[:1])).first()


@dataclass
class PublicationPeriod:
    """One stretch of time during which one revision was what the public saw."""

    revision_id: int
    revision_number: int
    start: datetime
    end: datetime | None
    started_by: WorkflowEvent
    ended_by: WorkflowEvent | None = None

    @property
    def is_scheduled(self) -> bool:
        return self.start > timezone.now()

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.start <= now and (self.end is None or self.end > now)


def publication_periods(report: Report) -> list[PublicationPeriod]:
    """Which revision was public from when to when, scheduled periods included, oldest first.

    The public revision only changes when a publish or withdraw event takes effect, so
    asking ``with_public_revision`` at each of those instants (in one query) gives the
    whole picture without restating its rule.
    """
    public_then = Report.objects.filter(pk=OuterRef("report_id")).with_public_revision(
        at=OuterRef(OuterRef("effective_at"))
    )
    events = list(
        WorkflowEvent.objects.filter(report=report, action__in=PUBLICATION_ACTIONS, effective_at__isnull=False)
        .select_related("actor")
        .annotate(
            public_revision_then=Subquery(public_then.values("public_revision_id")[:1]),
            public_since_then=Subquery(public_then.values("public_since")[:1]),
        )
        .annotate(
            public_number_then=Subquery(Revision.objects.filter(pk=OuterRef("public_revision_then")).values("number"))
        )
        .order_by("effective_at", "created_at", "pk")
    )
    periods: list[PublicationPeriod] = []
    current: PublicationPeriod | None = None
    for _instant, group in groupby(events, key=attrgetter("effective_at")):
        # Of events taking effect at the same instant, the last recorded one decides.
        event = list(group)[-1]
        if event.public_since_then != event.effective_at:
            continue  # overridden by a later-recorded event: the public saw no change then
        if current is not None and event.public_revision_then == current.revision_id:
            continue
        if current is not None:
            current.end, current.ended_by = event.effective_at, event
            current = None
        if event.public_revision_then is not None:
            current = PublicationPeriod(
                revision_id=event.public_revision_then,
                revision_number=event.public_number_then,
                start=event.effective_at,
                end=None,
                started_by=event,
            )
            periods.append(current)
    return periods


def public_update_notes(report: Report, public_revision_id: int | None) -> list[dict]:
    """The public change notes (更新记录) of republications, newest first: ``[{"date", "note"}]``.

    Only publications that took effect count; the first one is the original release,
    not an update. Notes after the publication of ``public_revision_id`` are left out,
    so a page showing an older public version lists the notes it had then.
    """
    now = timezone.now()
    periods = [period for period in publication_periods(report) if period.start <= now]
    shown = [period for period in periods if period.revision_id == public_revision_id]
    if shown:
        periods = [period for period in periods if period.start <= shown[-1].start]
    notes = [
        {"date": period.start, "note": period.started_by.comment}
        for period in periods[1:]
        if period.started_by.comment_is_public and period.started_by.comment
    ]
    return notes[::-1]


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
