"""Every change of a report's state happens here, one function per transition.

Each function is keyword-only, checks the actor's permission and the current state
first, then applies the change, the revision and the workflow event in one transaction.
The admin, the management commands, the importer and the tests all call these.

The permission-and-state rule of each workflow step is written once, in a ``_check_*``
function: the step itself calls it under the row lock, and ``allowed_actions`` calls it
to decide which buttons the admin shows, so the two can never disagree.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reports import notifications
from reports.checking import review as checking
from reports.duty.deadlines import local_date, start_of
from reports.followthrough import measures_of, plans_of, previous_public_revision
from reports.history.hashchain import chained_hash, event_payload
from reports.history.revisions import apply_snapshot, save_revision, snapshot
from reports.models import (
    Correction,
    CorrectionStatus,
    Item,
    PlanReview,
    PlanStatus,
    PublicEdition,
    Report,
    ReportState,
    Revision,
    Section,
    SectionKind,
    WorkflowAction,
    WorkflowEvent,
)
from reports.roles import (
    can_draft_for,
    clerk_organizations,
    is_auditor,
    is_clerk_for,
    is_editor_for,
    reviewed_organizations,
)
from reports.sanitize import plain_text
from reports.search.indexing import index_revisions

logger = logging.getLogger(__name__)

# A scheduled time a little in the past is a slow form, not back-dating.
SCHEDULE_GRACE = timedelta(minutes=1)
NOTHING_PENDING = {"pending_revision": None, "pending_at": None}
PLAN_NOTE_LENGTH = PlanReview._meta.get_field("note").max_length

# Events that change content, correct the record or record a decision about the report
# rather than move it along; "the last step" skips them.
CONTENT_ACTIONS = (WorkflowAction.EDIT, WorkflowAction.RESTORE, WorkflowAction.CORRECT, WorkflowAction.OVERRIDE_CHECK)


class WorkflowError(Exception):
    """A refused transition; the message is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IncompleteReport(WorkflowError):
    """The step is the user's to take, but the report is not complete enough yet."""


class NotYourRole(WorkflowError):
    """A refusal by role: this person can never take this step on this report, whatever its state.

    The admin shows other refusals as a disabled step with their message, and leaves
    these steps out, since they are not part of this person's work at all.
    """


def _locked(report: Report) -> Report:
    """Re-read the report under a row lock so concurrent transitions serialise."""
    return Report.objects.select_for_update().select_related("organization").get(pk=report.pk)


def _require(condition: bool, message: str, error: type[WorkflowError] = WorkflowError) -> None:
    if not condition:
        raise error(message)


def _require_editor(user, report: Report) -> None:
    _require(is_editor_for(user, report.organization), _("只有负责该单位的审核人才能执行此操作。"), NotYourRole)


def _require_state(report: Report, *states: str) -> None:
    _require(
        report.state in states,
        _("报告当前状态为“%(state)s”，不能执行此操作。") % {"state": report.get_state_display()},
    )


def _latest_revision(report: Report) -> Revision | None:
    return report.revisions.order_by("-number").first()


def record_event(
    *,
    report: Report,
    user,
    action: str,
    from_state: str,
    comment: str = "",
    revision: Revision | None = None,
    effective_at: datetime | None = None,
    secrecy_checked: bool = False,
    comment_is_public: bool = False,
    at: datetime | None = None,
) -> WorkflowEvent:
    """Append a workflow event to the report's hash chain (caller holds the report lock).

    ``at`` is the time to record it at (default: now); a publication passes the same
    instant it takes effect, so "recorded" and "in effect" agree to the microsecond.
    """
    previous = report.events.order_by("-sequence").first()
    event = WorkflowEvent(
        report=report,
        sequence=previous.sequence + 1 if previous else 1,
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        from_state=from_state,
        to_state=report.state,
        comment=comment,
        created_at=at or timezone.now(),
        revision=revision,
        effective_at=effective_at,
        secrecy_checked=secrecy_checked,
        comment_is_public=comment_is_public,
        previous_hash=previous.hash if previous else "",
    )
    event.hash = chained_hash(event_payload(event), event.previous_hash)
    event.save()
    return event


def _move(report: Report, to_state: str, **fields) -> str:
    """Change the locked report's state and ``fields`` (the publication pointer among them) and save them."""
    from_state = report.state
    report.state = to_state
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.save(update_fields=["state", "version", "updated_at", *fields])
    return from_state


def can_edit(user, report: Report) -> bool:
    """Clerks edit their drafts and published reports (making a new draft); editors edit any time."""
    if is_auditor(user):
        return False
    if is_editor_for(user, report.organization):
        return True
    return is_clerk_for(user, report.organization) and report.state in (
        ReportState.DRAFT,
        ReportState.PUBLISHED,
        ReportState.WITHDRAWN,
    )


def _import_comment(report: Report, imported_from: str, source_sha256: str) -> str:
    if source_sha256:
        comment = _("从“%(source)s”导入（SHA-256：%(sha256)s）。") % {"source": imported_from, "sha256": source_sha256}
    else:
        comment = _("从“%(source)s”导入。") % {"source": imported_from}
    if report.imported_published_at:
        published = timezone.localtime(report.imported_published_at)
        comment += _("原网站发布时间：%(time)s（非本网发布时间）。") % {"time": published.strftime("%Y-%m-%d %H:%M")}
    return comment


@transaction.atomic
def create_report(
    *,
    report: Report,
    user,
    write_content: Callable[[Report], None] | None = None,
    imported_from: str = "",
    source_sha256: str = "",
) -> Revision:
    """Bring a new report into being: the one path the admin, the importer and the tests take.

    ``report`` is unsaved, with its fields set. It is saved as a draft, ``write_content``
    then saves its sections, items, tags and attachments (the admin's formsets, the
    importer's parsed structure), and the complete first content is recorded as revision 1
    with a create event, or an import event naming the source (``imported_from``) and the
    source file's SHA-256. ``user`` None is the server's operator running a command.
    """
    _require(user is None or can_draft_for(user, report.organization), _("您无权为该单位起草报告。"))
    report.state = ReportState.DRAFT
    report.created_by = user if user is not None and user.is_authenticated else None
    try:
        report.full_clean()
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from None
    report.save()
    if write_content is not None:
        write_content(report)
    comment = _import_comment(report, imported_from, source_sha256) if imported_from else ""
    revision = save_revision(report=report, user=user, comment=comment)
    record_event(
        report=report,
        user=user,
        action=WorkflowAction.IMPORT if imported_from else WorkflowAction.CREATE,
        from_state="",
        comment=comment,
        revision=revision,
    )
    return revision


def check_version(report: Report, expected_version: int | None) -> None:
    """Refuse a save made from a page loaded before the report last changed (optimistic locking)."""
    _require(
        report.version == expected_version,
        _(
            "这份报告在您打开之后已被他人修改（可能是内容或流程状态），您的修改尚未保存。请复制您填写的内容后重新打开本页。"
        ),
    )


def lock_for_edit(*, report: Report, user, expected_version: int) -> None:
    """Inside the caller's transaction, hold the report's row and refuse a stale or forbidden edit.

    A form saves the report and its parts before ``record_edit`` runs; taking the lock
    first means a concurrent second save waits, then sees the new version and is refused
    before it writes anything over the first person's work.
    """
    current = _locked(report)
    _require(can_edit(user, current), _("您无权修改这份报告。"))
    check_version(current, expected_version)


@transaction.atomic
def record_edit(*, report: Report, user, comment: str = "", expected_version: int | None = None) -> Revision | None:
    """Record a saved change of the working copy: a new revision, and a new draft if it was approved or live.

    ``expected_version`` is the version the editor's form was loaded with; a different
    current version means someone else saved in between, and the save is refused.
    """
    current = _locked(report)
    _require(can_edit(user, current), _("您无权修改这份报告。"))
    if expected_version is not None:
        check_version(current, expected_version)
    to_state = ReportState.DRAFT if current.state in (ReportState.APPROVED, ReportState.PUBLISHED) else current.state
    revision = save_revision(report=current, user=user, comment=comment, state=to_state)
    if revision is None:
        return None
    from_state = _move(current, to_state)
    report.state, report.version = current.state, current.version
    record_event(
        report=current, user=user, action=WorkflowAction.EDIT, from_state=from_state, comment=comment, revision=revision
    )
    return revision


# --- 上年工作安排落实情况 ------------------------------------------------------------------


@dataclass(frozen=True)
class PlanReviewEntry:
    """What a report says about one of last year's plans: its status, a note, the measures that carry it out."""

    plan_key: str
    status: str = ""
    note: str = ""
    measure_keys: list[str] = field(default_factory=list)


@transaction.atomic
def review_plans(
    *, report: Report, user, entries: list[PlanReviewEntry], expected_version: int, comment: str = ""
) -> Revision | None:
    """Record what came of last year's plans (上年工作安排落实情况) as an edit of ``report``.

    The plans are those of the unit's previous-year PUBLIC revision, each named by its key;
    a key that is not one of them, or a measure that is not an item of this report's
    主要举措和成效, is refused and nothing is written. Every plan gets a row (a plan the
    entries leave out says nothing yet), so the public table lists them all.
    """
    lock_for_edit(report=report, user=user, expected_version=expected_version)
    source = previous_public_revision(report)
    plans = plans_of(source.content) if source is not None else []
    _require(bool(plans), _("上一年度报告没有公开的“下一年度工作安排”，无需填写落实情况。"))
    by_key = {plan.key: plan for plan in plans}
    measures = {measure.key for measure in measures_of(snapshot(report))}
    given: dict[str, PlanReviewEntry] = {}
    for entry in entries:
        _require(entry.plan_key in by_key, _("所填事项不是上一年度公开报告中的工作安排，请重新打开本页。"))
        _require(entry.status in ("", *PlanStatus.values), _("落实情况只能是已完成、推进中、未完成或已调整。"))
        _require(len(entry.note.strip()) <= PLAN_NOTE_LENGTH, _("说明不能超过 %(n)s 个字。") % {"n": PLAN_NOTE_LENGTH})
        _require(
            set(entry.measure_keys) <= measures, _("对应举措只能选择本报告“主要举措和成效”中的条目，请重新打开本页。")
        )
        given[entry.plan_key] = entry
    rows = []
    for plan in plans:
        entry = given.get(plan.key) or PlanReviewEntry(plan.key)
        rows.append(
            PlanReview(
                report=report,
                plan_revision=source,
                plan_key=plan.key,
                position=plan.position,
                plan_text=plan.text,
                status=entry.status,
                note=entry.note.strip(),
                measure_keys=list(dict.fromkeys(entry.measure_keys)),
            )
        )
    report.plan_reviews.all().delete()
    PlanReview.objects.bulk_create(rows)
    return record_edit(
        report=report,
        user=user,
        comment=comment or _("填写上年工作安排落实情况"),
        expected_version=expected_version,
    )


@transaction.atomic
def copy_unfinished_plans(*, report: Report, user, expected_version: int) -> Revision | None:
    """Add last year's unfinished plans (推进中, 未完成) to 存在不足和原因 as a starting point for the clerk.

    Only when asked (a button), never on its own; a plan already there under the same
    heading is not added twice. The clerk then rewrites them as shortcomings and reasons.
    """
    lock_for_edit(report=report, user=user, expected_version=expected_version)
    unfinished = list(report.plan_reviews.filter(status__in=PlanStatus.unfinished()))
    _require(bool(unfinished), _("没有“推进中”或“未完成”的上年工作安排可以填入。"))
    section = report.sections.filter(kind=SectionKind.SHORTCOMINGS).first()
    if section is None:
        last = report.sections.order_by("-order").values_list("order", flat=True).first()
        section = Section.objects.create(report=report, kind=SectionKind.SHORTCOMINGS, order=(last or 0) + 1)
    items = section.items.filter(parent=None)
    present = set(items.values_list("heading", flat=True))
    order = max(items.values_list("order", flat=True), default=-1) + 1
    for review in unfinished:
        if review.plan_text in present:
            continue
        body = format_html("<p>{}</p>", review.note) if review.note else ""
        Item.objects.create(section=section, heading=review.plan_text, body=body, order=order)
        present.add(review.plan_text)
        order += 1
    return record_edit(
        report=report,
        user=user,
        comment=_("将未完成的上年工作安排填入“存在不足和原因”"),
        expected_version=expected_version,
    )


# --- Workflow steps ---------------------------------------------------------------------


def _require_checks_passed(report: Report, *, submitter) -> None:
    """Refuse while the pre-publication checks hold a block-level finding no one but ``submitter`` overrode."""
    blocking = checking.unresolved_blocking(report, submitter=submitter)
    _require(
        not blocking,
        _(
            "发布前检查发现 %(count)s 处必须修改的问题（见报告页面的“发布前检查”）。"
            "请修改后再继续；确需保留的，须由提交人以外的审核人写明理由后放行。"
        )
        % {"count": len(blocking)},
    )


def _check_submit(user, report: Report) -> None:
    _require(can_draft_for(user, report.organization), _("您无权提交这份报告。"), NotYourRole)
    _require_state(report, ReportState.DRAFT, ReportState.WITHDRAWN)
    problems = report.submission_problems()
    if problems:
        raise IncompleteReport(_("报告还不能提交：%(problems)s") % {"problems": "".join(problems)})
    _require_checks_passed(report, submitter=user)


def _check_return(user, report: Report) -> None:
    _require_editor(user, report)
    _require_state(report, ReportState.SUBMITTED, ReportState.APPROVED)


def _last_submission(report: Report) -> WorkflowEvent | None:
    return report.events.filter(action=WorkflowAction.SUBMIT).select_related("revision").order_by("-sequence").first()


def _check_approve(user, report: Report) -> None:
    _require_editor(user, report)
    _require_state(report, ReportState.SUBMITTED)
    _require(report.submitted_by_id != user.pk, _("不能审核自己提交的报告（双人审核原则）。"))
    # Four eyes must see every word: an editor who changed the text during review is
    # one of its authors, and another editor has to approve it.
    submission = _last_submission(report)
    submitted_number = submission.revision.number if submission and submission.revision else 0
    _require(
        not report.revisions.filter(author=user, number__gt=submitted_number).exists(),
        _("您在审核期间修改过这份报告，需由另一位审核人审核通过（双人审核原则）。"),
    )
    _require_checks_passed(report, submitter=report.submitted_by)


def _check_publish(user, report: Report) -> None:
    _require_editor(user, report)
    _require_state(report, ReportState.APPROVED)


def _check_withdraw(user, report: Report) -> None:
    _require_editor(user, report)
    _require(report.is_public_or_scheduled, _("这份报告目前没有公开，无需撤回。"))


def _check_report_upward(user, report: Report) -> None:
    _require_editor(user, report)
    # What goes to the superior is reviewed content: approved, or already public.
    _require_state(report, ReportState.APPROVED, ReportState.PUBLISHED)


def _check_restore(user, report: Report) -> None:
    _require_editor(user, report)


def _check_override(user, report: Report) -> None:
    _require_editor(user, report)
    _require_state(report, ReportState.DRAFT, ReportState.WITHDRAWN, ReportState.SUBMITTED)
    _require(
        report.submitted_by_id != user.pk or report.state != ReportState.SUBMITTED,
        _("不能放行自己提交的报告的检查结果（双人审核原则）。"),
    )


# Each step a person can take on a report, with its permission-and-state rule. The
# admin shows the first seven as buttons on the change page, in this order ("schedule" is
# publish with a time); "restore" lives on the history page, "override_check" on the
# pre-publication checks panel.
STEP_CHECKS: dict[str, Callable[[object, Report], None]] = {
    "submit": _check_submit,
    "return": _check_return,
    "approve": _check_approve,
    "publish": _check_publish,
    "schedule": _check_publish,
    "withdraw": _check_withdraw,
    "report_upward": _check_report_upward,
    "restore": _check_restore,
    "override_check": _check_override,
}


def check_step(step: str, *, user, report: Report) -> None:
    """Raise WorkflowError unless ``user`` may take ``step`` on ``report`` in its current state."""
    STEP_CHECKS[step](user, report)


def can_take(step: str, *, user, report: Report) -> bool:
    """Whether ``user`` may take ``step`` on ``report`` in its current state."""
    try:
        check_step(step, user=user, report=report)
    except WorkflowError:
        return False
    return True


def allowed_actions(user, report: Report) -> list[str]:
    """The steps ``user`` may take on ``report`` now (keys of STEP_CHECKS)."""
    return [step for step in STEP_CHECKS if can_take(step, user=user, report=report)]


@transaction.atomic
def submit_for_review(*, report: Report, user, comment: str = "") -> Report:
    report = _locked(report)
    _check_submit(user, report)
    from_state = _move(report, ReportState.SUBMITTED, submitted_by=user)
    event = record_event(
        report=report,
        user=user,
        action=WorkflowAction.SUBMIT,
        from_state=from_state,
        comment=comment.strip(),
        revision=_latest_revision(report),
    )
    notifications.report_submitted(event)
    return report


@transaction.atomic
def return_for_revision(*, report: Report, user, comment: str) -> Report:
    report = _locked(report)
    _check_return(user, report)
    _require(bool(comment and comment.strip()), _("退回时必须填写退回意见。"))
    from_state = _move(report, ReportState.DRAFT)
    event = record_event(
        report=report, user=user, action=WorkflowAction.RETURN, from_state=from_state, comment=comment.strip()
    )
    notifications.report_decided(event)
    return report


@transaction.atomic
def approve(*, report: Report, user, secrecy_checked: bool, comment: str = "") -> Report:
    """Approve the submitted content; the event names the revision that was reviewed."""
    report = _locked(report)
    _check_approve(user, report)
    _require(secrecy_checked is True, _("审核通过前必须确认已完成保密审查。"))
    from_state = _move(report, ReportState.APPROVED)
    event = record_event(
        report=report,
        user=user,
        action=WorkflowAction.APPROVE,
        from_state=from_state,
        comment=comment.strip(),
        revision=_latest_revision(report),
        secrecy_checked=True,
    )
    notifications.report_decided(event)
    return report


def _publication_now(report: Report, now: datetime) -> dict:
    """The publication pointer as of ``now``: a schedule whose time has come is folded into the live one."""
    if report.pending_at is not None and report.pending_at <= now:
        return {"live_revision": report.pending_revision, "live_since": report.pending_at, **NOTHING_PENDING}
    pending = {"pending_revision": report.pending_revision, "pending_at": report.pending_at}
    return {"live_revision": report.live_revision, "live_since": report.live_since, **pending}


@transaction.atomic
def publish(
    *, report: Report, user, at: datetime | None = None, note: str = "", note_is_public: bool = False
) -> Report:
    """Make the approved content public now, or at ``at`` (定时发布).

    The publish time is this moment or the scheduled one, never a typed date: the event
    is recorded now and cannot take effect earlier. What goes live is the revision the
    approval names: any edit after approval has sent the report back to draft, so nothing
    unreviewed can be published. Publishing now replaces a pending schedule; a second
    schedule may replace a pending one only by going live no later than it would have.
    """
    report = _locked(report)
    _check_publish(user, report)
    now = timezone.now()
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    _require(at is None or at >= now - SCHEDULE_GRACE, _("定时发布时间不能早于当前时间。"))
    effective_at = max(at or now, now)
    pointer = _publication_now(report, now)
    if effective_at > now and pointer["pending_at"] is not None:
        _require(
            effective_at <= pointer["pending_at"],
            _("已有一个定时发布将于 %(time)s 生效；新的定时发布时间不能晚于它。请选择更早的时间或立即发布。")
            % {"time": timezone.localtime(pointer["pending_at"]).strftime("%Y-%m-%d %H:%M")},
        )
    approval = report.events.filter(action=WorkflowAction.APPROVE).order_by("-sequence").first()
    revision = approval.revision if approval and approval.revision else _latest_revision(report)
    if effective_at > now:
        pointer.update(pending_revision=revision, pending_at=effective_at)
    else:
        pointer.update(live_revision=revision, live_since=effective_at, **NOTHING_PENDING)
    first_published_at = report.first_published_at
    if first_published_at is None or first_published_at > now:
        first_published_at = effective_at
    from_state = _move(report, ReportState.PUBLISHED, first_published_at=first_published_at, **pointer)
    PublicEdition.advance()
    # Search reads public revisions from its index: written now, under the edition's lock.
    index_revisions([revision])
    event = record_event(
        report=report,
        user=user,
        action=WorkflowAction.PUBLISH,
        from_state=from_state,
        comment=note.strip(),
        comment_is_public=note_is_public and bool(note.strip()),
        revision=revision,
        effective_at=effective_at,
        at=now,
    )
    notifications.report_decided(event)
    return report


@transaction.atomic
def withdraw(*, report: Report, user, reason: str, reason_is_public: bool = False) -> Report:
    """Take a report off the public site now, and cancel any schedule (its URL then answers 410 Gone)."""
    report = _locked(report)
    _check_withdraw(user, report)
    _require(bool(reason and reason.strip()), _("撤回时必须填写撤回原因。"))
    now = timezone.now()
    fields = {"live_revision": None, "live_since": None, **NOTHING_PENDING}
    if report.first_published_at and report.first_published_at > now:
        # A schedule withdrawn before it went live was never published.
        fields["first_published_at"] = None
    from_state = _move(report, ReportState.WITHDRAWN, **fields)
    PublicEdition.advance()
    record_event(
        report=report,
        user=user,
        action=WorkflowAction.WITHDRAW,
        from_state=from_state,
        comment=reason.strip(),
        comment_is_public=reason_is_public,
        effective_at=now,
        at=now,
    )
    return report


@transaction.atomic
def report_upward(*, report: Report, user, sent_on: date, document_number: str, comment: str = "") -> WorkflowEvent:
    """Record that the report went to the superior office (报送上级) on ``sent_on`` under 文号 ``document_number``.

    The sending happens outside the portal, so its date is typed, and said to be: the event's
    comment names the date and the 文号, and its ``effective_at`` is the start of that day in
    Beijing, from which the dashboard tells whether the superior's deadline was met. The
    event names the approved revision, the content that was sent. The state does not change.
    """
    report = _locked(report)
    _check_report_upward(user, report)
    document_number = plain_text(document_number or "").strip()
    _require(bool(document_number), _("请填写报送文件的文号。"))
    _require(sent_on <= local_date(timezone.now()), _("报送日期不能晚于今天。"))
    _require(sent_on.year >= report.year, _("报送日期不能早于报告年度。"))
    text = _("报送日期：%(date)s；文号：%(number)s。") % {
        "date": f"{sent_on.year}年{sent_on.month}月{sent_on.day}日",
        "number": document_number,
    }
    if comment.strip():
        text += comment.strip()
    approval = report.events.filter(action=WorkflowAction.APPROVE).order_by("-sequence").first()
    return record_event(
        report=report,
        user=user,
        action=WorkflowAction.REPORT_UPWARD,
        from_state=report.state,
        comment=text,
        revision=approval.revision if approval else None,
        effective_at=start_of(sent_on),
    )


@transaction.atomic
def restore_revision(*, revision: Revision, user) -> Revision:
    """Make an old revision's content the working copy again, as a new draft revision.

    History is never rewritten: the restored content becomes the next revision, with
    the comment “恢复自第 N 版”, and goes through review like any other draft. The
    attachments it names are attached again (see ``revisions.apply_snapshot``).
    """
    report = _locked(revision.report)
    _check_restore(user, report)
    apply_snapshot(report, revision.content)
    comment = _("恢复自第 %(number)s 版") % {"number": revision.number}
    restored = save_revision(report=report, user=user, comment=comment, state=ReportState.DRAFT)
    _require(restored is not None, _("当前内容与第 %(number)s 版相同，无需恢复。") % {"number": revision.number})
    from_state = _move(report, ReportState.DRAFT)
    record_event(
        report=report,
        user=user,
        action=WorkflowAction.RESTORE,
        from_state=from_state,
        comment=comment,
        revision=restored,
    )
    return restored


# --- Pre-publication checks ------------------------------------------------------------


@transaction.atomic
def override_check(*, report: Report, user, reason: str) -> WorkflowEvent:
    """Let the current revision pass the checks despite its block-level findings, for a written reason.

    Recorded as an ``OVERRIDE_CHECK`` event of the hash chain naming the revision, the
    reason and each finding (see ``reports.checking.review``). It counts only for someone
    other than its author submitting, so the person who submits can never override for
    themselves, and only for this revision: any later edit is checked afresh.
    """
    report = _locked(report)
    _check_override(user, report)
    reason = (reason or "").strip()
    _require(bool(reason), _("放行时必须写明理由。"))
    revision = _latest_revision(report)
    _require(revision is not None, _("这份报告还没有可以放行的版本。"))
    pending = checking.not_yet_overridden_by(report, user)
    _require(bool(pending), _("这份报告没有需要您放行的检查结果。"))
    return record_event(
        report=report,
        user=user,
        action=WorkflowAction.OVERRIDE_CHECK,
        from_state=report.state,
        comment=checking.override_comment(reason=reason, revision=revision, findings=pending),
        revision=revision,
    )


# --- Work lists -------------------------------------------------------------------------


def with_last_step(reports: QuerySet) -> QuerySet:
    """Annotate ``last_step``: the latest workflow action that was not a content change.

    A draft whose last step is "return" was sent back and waits for its drafters, however
    often they have saved it since.
    """
    steps = WorkflowEvent.objects.filter(report=OuterRef("pk")).exclude(action__in=CONTENT_ACTIONS)
    return reports.annotate(last_step=Subquery(steps.order_by("-sequence").values("action")[:1]))


def _queue_conditions(user) -> dict[str, Q]:
    """What waits for ``user``, by kind: reviews and publications for editors, returned drafts for clerks."""
    reviewed = Q(organization__in=reviewed_organizations(user))
    return {
        "review": reviewed & Q(state=ReportState.SUBMITTED) & ~Q(submitted_by=user),
        "publish": reviewed & Q(state=ReportState.APPROVED),
        "returned": Q(state=ReportState.DRAFT, last_step=WorkflowAction.RETURN)
        & (Q(organization__in=clerk_organizations(user)) | Q(submitted_by=user)),
    }


WORK_QUEUES = ("review", "publish", "returned")


def work_queues(user, reports: QuerySet | None = None) -> dict[str, QuerySet]:
    """The reports whose next step is ``user``'s, per queue of ``WORK_QUEUES`` (auditors have none)."""
    reports = with_last_step(Report.objects.all() if reports is None else reports)
    if is_auditor(user):
        return {name: reports.none() for name in WORK_QUEUES}
    return {name: reports.filter(condition) for name, condition in _queue_conditions(user).items()}


def waiting_for(user, reports: QuerySet | None = None) -> QuerySet:
    """Reports whose next step is ``user``'s: every queue of ``work_queues`` together."""
    reports = with_last_step(Report.objects.all() if reports is None else reports)
    if is_auditor(user):
        return reports.none()
    return reports.filter(reduce(or_, _queue_conditions(user).values()))


# --- 我要纠错: residents' error reports --------------------------------------------------------
# Not part of a report's workflow or its hash chains: a correction changes nothing public.


def submit_correction(*, report_id: int, revision_id: int, page_url: str, text: str, contact: str = "") -> Correction:
    """Store a resident's error report on the article ``page_url`` as revision ``revision_id`` shows it."""
    return Correction.objects.create(
        report_id=report_id,
        revision_id=revision_id,
        page_url=page_url,
        text=text,
        contact=contact,
        created_at=timezone.now(),
    )


def can_answer_correction(user, correction: Correction) -> bool:
    """Editors of the report's unit handle its corrections; auditors only read them."""
    return is_editor_for(user, correction.report.organization)


def answer_correction(*, correction: Correction, user, status: str, reply: str) -> Correction:
    """Record how the editors handled a correction (its status and reply), and who did, when."""
    _require(can_answer_correction(user, correction), _("只有该单位的审核人可以处理这条纠错。"))
    _require(status in CorrectionStatus.values, _("未知的处理状态。"))
    with transaction.atomic():
        locked = Correction.objects.select_for_update().get(pk=correction.pk)
        locked.status = status
        locked.reply = reply
        locked.replied_by = user
        locked.replied_at = timezone.now()
        locked.save(update_fields=["status", "reply", "replied_by", "replied_at"])
    return locked


def erase_expired_contacts(*, retention: timedelta, now: datetime | None = None) -> int:
    """Erase the contact details of corrections sent longer than ``retention`` ago; how many were erased."""
    now = now or timezone.now()
    expired = Correction.objects.filter(created_at__lt=now - retention, contact_erased_at__isnull=True)
    return expired.update(contact="", contact_erased_at=now)
