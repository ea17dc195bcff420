"""What the checks still hold against a report, and what people decided about its findings.

The findings that count are those of the report's latest revision (the working copy as
last saved, which is what a reviewer approves). A warn-level finding is settled by an
ignore with a reason (``ignore_finding``). A block-level finding is settled only by fixing
the text, or by an override: an ``OVERRIDE_CHECK`` workflow event for that revision, whose
comment lists each finding with its fingerprint (``[f:…]``), recorded by an editor other
than the submitter (``services.override_check``). The gates read overrides from those
hash-chained events themselves, so the record and the rule cannot disagree.
"""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from reports.checking import links
from reports.checking.checker import check_content
from reports.checking.findings import Finding
from reports.checking.models import IgnoredFinding
from reports.checking.wordlists import current_wordlist
from reports.models import Report, Revision, WorkflowAction, WorkflowEvent
from reports.roles import can_draft_for

OVERRIDE_MARK = re.compile(r"\[f:([0-9a-f]{16})\]")


class CheckError(Exception):
    """A refused ignore; the message is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def findings_of(revision: Revision) -> list[Finding]:
    """Every finding in a revision's content, with the word lists and link results as they are now."""
    content = revision.content
    results = links.stored_results(links.content_links(content))
    return check_content(content, wordlist=current_wordlist(), link_results=results)


def latest_revision(report: Report) -> Revision | None:
    return report.revisions.order_by("-number").first()


def overrides_of(report: Report, revision: Revision) -> dict[str, list[WorkflowEvent]]:
    """The override events of ``revision``, by the fingerprint of each finding they list."""
    events = report.events.filter(action=WorkflowAction.OVERRIDE_CHECK, revision=revision).select_related("actor")
    found: dict[str, list[WorkflowEvent]] = {}
    for event in events.order_by("sequence"):
        for fingerprint in OVERRIDE_MARK.findall(event.comment):
            found.setdefault(fingerprint, []).append(event)
    return found


def _overridden(events: list[WorkflowEvent], submitter) -> bool:
    """An override counts when someone other than the submitter recorded it."""
    submitter_id = getattr(submitter, "pk", None)
    return any(event.actor_id is not None and event.actor_id != submitter_id for event in events)


def unresolved_blocking(report: Report, *, submitter) -> list[Finding]:
    """Block-level findings of the latest revision that no one but ``submitter`` overrode (the gates' rule)."""
    revision = latest_revision(report)
    if revision is None:
        return []
    blocking = [finding for finding in findings_of(revision) if finding.blocks]
    if not blocking:
        return []
    overrides = overrides_of(report, revision)
    return [finding for finding in blocking if not _overridden(overrides.get(finding.fingerprint, []), submitter)]


def not_yet_overridden_by(report: Report, user) -> list[Finding]:
    """Block-level findings of the latest revision that ``user`` has not overridden (what their override would list)."""
    revision = latest_revision(report)
    if revision is None:
        return []
    blocking = [finding for finding in findings_of(revision) if finding.blocks]
    overrides = overrides_of(report, revision) if blocking else {}
    return [
        finding
        for finding in blocking
        if not any(event.actor_id == user.pk for event in overrides.get(finding.fingerprint, []))
    ]


@dataclass
class Review:
    """A report's latest revision, its findings, and the ignores and overrides that apply to them."""

    report: Report
    revision: Revision
    findings: list[Finding]
    ignored: dict[str, IgnoredFinding] = field(default_factory=dict)
    overrides: dict[str, list[WorkflowEvent]] = field(default_factory=dict)

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocks]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.blocks and finding.fingerprint not in self.ignored]

    @property
    def ignored_warnings(self) -> list[tuple[Finding, IgnoredFinding]]:
        return [
            (finding, self.ignored[finding.fingerprint])
            for finding in self.findings
            if not finding.blocks and finding.fingerprint in self.ignored
        ]

    def override_of(self, finding: Finding) -> WorkflowEvent | None:
        events = self.overrides.get(finding.fingerprint)
        return events[-1] if events else None

    def not_yet_overridden_by(self, user) -> list[Finding]:
        return [
            finding
            for finding in self.blocking
            if not any(event.actor_id == user.pk for event in self.overrides.get(finding.fingerprint, []))
        ]

    def open_blocking(self, submitter) -> list[Finding]:
        return [
            finding
            for finding in self.blocking
            if not _overridden(self.overrides.get(finding.fingerprint, []), submitter)
        ]


def review(report: Report) -> Review | None:
    """The review of ``report``'s latest revision, or None before it has one."""
    revision = latest_revision(report)
    if revision is None:
        return None
    findings = findings_of(revision)
    fingerprints = {finding.fingerprint for finding in findings}
    ignored = {
        ignore.fingerprint: ignore
        for ignore in report.ignored_findings.filter(fingerprint__in=fingerprints).select_related("user")
    }
    overrides = overrides_of(report, revision) if any(finding.blocks for finding in findings) else {}
    return Review(report, revision, findings, ignored, overrides)


def override_comment(*, reason: str, revision: Revision, findings: list[Finding]) -> str:
    """The comment of an override event: the reason, then each finding with its fingerprint.

    Personal data is masked: the event is permanent and exported with the history.
    """
    lines = [
        # Only the list below names findings: a reason cannot carry marks of its own.
        _("放行理由：%(reason)s") % {"reason": OVERRIDE_MARK.sub("", reason)},
        _("放行第 %(number)s 版中必须修改的检查结果：") % {"number": revision.number},
    ]
    for finding in findings:
        lines.append(
            f"- 【{finding.kind_label}】{finding.location}：{finding.display_text} → {finding.suggestion} "
            f"[f:{finding.fingerprint}]"
        )
    return "\n".join(lines)


@transaction.atomic
def ignore_finding(*, report: Report, user, fingerprint: str, reason: str) -> IgnoredFinding:
    """Keep a warn-level finding of the latest revision, with a reason; it stays ignored while its sentence does."""
    if not can_draft_for(user, report.organization):
        raise CheckError(_("您无权处理这份报告的检查结果。"))
    reason = (reason or "").strip()
    if not reason:
        raise CheckError(_("忽略时必须填写理由。"))
    revision = latest_revision(report)
    finding = next((f for f in findings_of(revision) if f.fingerprint == fingerprint), None) if revision else None
    if finding is None:
        raise CheckError(_("这条检查结果已不存在（报告可能已经修改），请刷新页面。"))
    if finding.blocks:
        raise CheckError(_("必须修改的问题不能忽略：请修改，或由提交人以外的审核人写明理由后放行。"))
    existing = report.ignored_findings.filter(fingerprint=fingerprint).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return IgnoredFinding.objects.create(
                report=report,
                fingerprint=fingerprint,
                rule=finding.rule[:150],
                text=finding.text[:200],
                reason=reason,
                user=user,
            )
    except IntegrityError:
        # Someone ignored it at the same moment: theirs stands.
        return report.ignored_findings.get(fingerprint=fingerprint)
