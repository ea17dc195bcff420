"""What the public saw when: the revision public at any instant and the periods of each.

Every answer comes from ``ReportQuerySet.with_public_revision``, the rule over the
publish and withdraw events; ``verify_history`` checks that the publication pointer the
public site reads agrees with it now.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from reports.models import PUBLICATION_ACTIONS, Report, Revision, WorkflowAction, WorkflowEvent


def public_revision_at(report: Report, at: datetime | None = None) -> Revision | None:
    """The revision the public saw at ``at`` (default: now), or None if nothing was public."""
    public = Report.objects.filter(pk=report.pk).with_public_revision(at or timezone.now()).values("public_revision_id")
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

    The public revision only changes when a publish or withdraw event takes effect (its
    effective time, or its recording if that was later), so asking ``with_public_revision``
    at each of those instants (in one query) gives the whole picture without restating
    its rule.
    """
    public_then = Report.objects.filter(pk=OuterRef("report_id")).with_public_revision(at=OuterRef(OuterRef("instant")))
    events = list(
        WorkflowEvent.objects.filter(report=report, action__in=PUBLICATION_ACTIONS, effective_at__isnull=False)
        .select_related("actor")
        .annotate(instant=Greatest("effective_at", "created_at"))
        .annotate(
            public_revision_then=Subquery(public_then.values("public_revision_id")[:1]),
            public_sequence_then=Subquery(public_then.values("public_sequence")[:1]),
        )
        .annotate(
            public_number_then=Subquery(Revision.objects.filter(pk=OuterRef("public_revision_then")).values("number"))
        )
        .order_by("instant", "sequence")
    )
    periods: list[PublicationPeriod] = []
    current: PublicationPeriod | None = None
    for _instant, group in groupby(events, key=attrgetter("instant")):
        # Of events taking effect at the same instant, the one latest in the chain decides.
        event = list(group)[-1]
        if event.public_sequence_then != event.sequence:
            continue  # overridden by an event later in the chain: the public saw no change then
        if current is not None and event.public_revision_then == current.revision_id:
            continue
        if current is not None:
            current.end, current.ended_by = event.instant, event
            current = None
        if event.public_revision_then is not None:
            current = PublicationPeriod(
                revision_id=event.public_revision_then,
                revision_number=event.public_number_then,
                start=event.instant,
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


def pointer_disagreements(at: datetime | None = None) -> list[tuple[int, int | None, int | None]]:
    """Reports whose publication pointer does not show what their events say is public.

    ``(report id, revision by the pointer, revision by the events)`` for each; the two must
    agree at every moment, since the services write both in one transaction.
    """
    at = at or timezone.now()
    by_events = dict(Report.objects.with_public_revision(at).values_list("pk", "public_revision_id"))
    by_pointer = dict(Report.objects.published().values_list("pk", "public_revision_id"))
    return [
        (pk, by_pointer.get(pk), revision_id)
        for pk, revision_id in sorted(by_events.items())
        if by_pointer.get(pk) != revision_id
    ]


# A publish whose effective time is this much before its own record claims to have gone public
# before anyone published it: no schedule can do that.
BACKDATED_BY = timedelta(minutes=1)


def backdated_publications():
    """Publish events that claim to have taken effect before they were recorded, and were never corrected.

    A correction is a later "correct" event of the same report naming the same revision.
    """
    corrected = WorkflowEvent.objects.filter(
        report=OuterRef("report"),
        action=WorkflowAction.CORRECT,
        revision=OuterRef("revision"),
        sequence__gt=OuterRef("sequence"),
    )
    return (
        WorkflowEvent.objects.filter(action=WorkflowAction.PUBLISH, effective_at__lt=F("created_at") - BACKDATED_BY)
        .exclude(Exists(corrected))
        .order_by("report", "sequence")
    )
