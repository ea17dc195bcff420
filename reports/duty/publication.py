"""When a report first became public on this portal: the duty's one read of the publication record."""

from collections.abc import Iterable
from datetime import datetime

from reports.models import Report


def first_public_times(report_ids: Iterable[int], at: datetime) -> dict[int, datetime]:
    """For each report public at some moment up to ``at``: the first such moment on this portal.

    ``Report.first_published_at`` is written by ``services.publish`` (the moment it went
    public, or its schedule) and cleared by ``services.withdraw`` for a schedule withdrawn
    before its time, so it never holds an old site's date (``imported_published_at``) nor a
    publication that has not happened yet by ``at``.
    """
    reports = Report.objects.filter(pk__in=list(report_ids), first_published_at__lte=at)
    return dict(reports.values_list("pk", "first_published_at"))
