"""Findings in what the public can read now, told to the editors of each unit once.

Run daily by ``python manage.py rescan_published`` (and after a word list changes): every
published report's public revision is checked again with today's lists. Each finding is
recorded once per revision (``PublicFinding``), and its unit's editors are mailed about the
findings not yet told; a second run the same day finds nothing new and sends nothing.
Findings someone already settled (ignored warnings, overridden block-level findings of
that revision) are not reported again.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from reports import notifications
from reports.checking.findings import Finding
from reports.checking.models import PublicFinding
from reports.checking.review import findings_of, overrides_of
from reports.models import Report, Revision


@dataclass(frozen=True)
class RescanResult:
    reports: int
    found: int  # findings recorded for the first time
    told: int  # findings mailed to editors in this run
    untold: int  # findings still waiting (no editor with an email address, or the mail failed)


def _unsettled(report: Report, revision: Revision, findings: list[Finding]) -> list[Finding]:
    ignored = set(report.ignored_findings.values_list("fingerprint", flat=True))
    overridden = set(overrides_of(report, revision)) if any(finding.blocks for finding in findings) else set()
    return [
        finding
        for finding in findings
        if (finding.blocks and finding.fingerprint not in overridden)
        or (not finding.blocks and finding.fingerprint not in ignored)
    ]


def rescan_published() -> RescanResult:
    reports = list(Report.objects.published().select_related("organization").order_by("pk"))
    revisions = Revision.objects.in_bulk([report.public_revision_id for report in reports])
    current: dict[int, set[str]] = {}
    found = 0
    for report in reports:
        revision = revisions[report.public_revision_id]
        findings = _unsettled(report, revision, findings_of(revision))
        current[revision.pk] = {finding.fingerprint for finding in findings}
        known = set(
            PublicFinding.objects.filter(revision=revision, fingerprint__in=current[revision.pk]).values_list(
                "fingerprint", flat=True
            )
        )
        new = [
            PublicFinding(
                report=report,
                revision=revision,
                fingerprint=finding.fingerprint,
                rule=finding.rule[:150],
                severity=finding.severity,
                text=finding.display_text[:200],
                suggestion=finding.suggestion[:300],
                location=finding.location[:200],
            )
            for finding in {finding.fingerprint: finding for finding in findings}.values()
            if finding.fingerprint not in known
        ]
        # ignore_conflicts: a second rescan running at the same moment records each finding once too.
        PublicFinding.objects.bulk_create(new, ignore_conflicts=True)
        found += len(new)
    told, untold = _tell_editors(current)
    return RescanResult(reports=len(reports), found=found, told=told, untold=untold)


def _tell_editors(current: dict[int, set[str]]) -> tuple[int, int]:
    """Mail each unit's editors the findings of its public pages they have not been told of."""
    waiting = [
        finding
        for finding in PublicFinding.objects.filter(notified_at__isnull=True, revision_id__in=list(current))
        .select_related("report__organization")
        .order_by("report_id", "pk")
        if finding.fingerprint in current[finding.revision_id]
    ]
    by_organization: dict = defaultdict(lambda: defaultdict(list))
    for finding in waiting:
        by_organization[finding.report.organization][finding.report].append(finding)
    told = 0
    for organization, pages in by_organization.items():
        if not notifications.public_findings(organization, list(pages.items())):
            continue
        ids = [finding.pk for findings in pages.values() for finding in findings]
        PublicFinding.objects.filter(pk__in=ids).update(notified_at=timezone.now())
        told += len(ids)
    return told, len(waiting) - told
