"""When a report first became public on this portal: the duty's one read of the publication record.

Kept alone so that the rule can be re-pointed (at a ``live_since`` pointer kept by the
services, say) without touching anything else of the duty.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from reports.models import WorkflowAction, WorkflowEvent

PUBLICATION_ACTIONS = (WorkflowAction.PUBLISH, WorkflowAction.WITHDRAW)


def first_public_times(report_ids: Iterable[int], at: datetime) -> dict[int, datetime]:
    """For each report public at some moment up to ``at``: the first such moment on this portal.

    The rule is ``ReportQuerySet.with_public_revision``'s (the latest recorded publish or
    withdraw event in effect decides), asked as the portal would have answered at the
    time: an event counts from the moment it was both recorded and in effect. A scheduled
    publish counts from its time, and only if no withdrawal was recorded before then; a
    publish stamped with the old site's time (``imported_published_at``) counts from the
    day it was published here, since the old site's date says nothing about this portal.
    """
    events = defaultdict(list)
    rows = (
        WorkflowEvent.objects.filter(report__in=list(report_ids), action__in=PUBLICATION_ACTIONS)
        .order_by("report", "created_at", "pk")
        .values_list("report_id", "action", "created_at", "effective_at")
    )
    for report_id, action, created_at, effective_at in rows:
        events[report_id].append((action, created_at, effective_at))
    first = {}
    for report_id, recorded in events.items():
        for action, created_at, effective_at in recorded:
            moment = max(created_at, effective_at)
            if action != WorkflowAction.PUBLISH or moment > at:
                continue
            in_effect = [event for event in recorded if event[1] <= moment and event[2] <= moment]
            # ``recorded`` is in recording order, so the last one in effect is the deciding one.
            if in_effect[-1][0] == WorkflowAction.PUBLISH and (report_id not in first or moment < first[report_id]):
                first[report_id] = moment
    return first
