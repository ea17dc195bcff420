"""The editorial state machine: who may take which step from which state, and what each step records."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from reports import notifications, services
from reports.models import Report, ReportState, WorkflowAction
from reports.services import WorkflowError
from tests import factories

CHINESE = re.compile(r"[\u4e00-\u9fff]")

ROLES = [
    "clerk",
    "other_clerk",
    "editor",
    "other_editor",
    "all_editor",
    "auditor",
    "superuser",
    "submitter_editor",
]
TRANSITIONS = ["submit", "return", "approve", "publish", "schedule", "withdraw", "report_upward", "edit"]
STATES = [ReportState.DRAFT, ReportState.SUBMITTED, ReportState.APPROVED, ReportState.PUBLISHED, ReportState.WITHDRAWN]

EDITORS = {"editor", "all_editor", "superuser", "submitter_editor"}
DRAFTERS = EDITORS | {"clerk"}


def expected_state(role: str, transition: str, state: str) -> str | None:
    """The state ``transition`` leads to when ``role`` takes it from ``state``, or None if refused.

    Written out from the issue's rules, independently of the code under test.
    """
    if transition == "submit":
        return (
            ReportState.SUBMITTED if role in DRAFTERS and state in (ReportState.DRAFT, ReportState.WITHDRAWN) else None
        )
    if transition == "return":
        return ReportState.DRAFT if role in EDITORS and state in (ReportState.SUBMITTED, ReportState.APPROVED) else None
    if transition == "approve":
        # The submitter_editor submitted every report in this matrix: four eyes.
        allowed = role in EDITORS - {"submitter_editor"} and state == ReportState.SUBMITTED
        return ReportState.APPROVED if allowed else None
    if transition in ("publish", "schedule"):
        return ReportState.PUBLISHED if role in EDITORS and state == ReportState.APPROVED else None
    if transition == "withdraw":
        return ReportState.WITHDRAWN if role in EDITORS and state == ReportState.PUBLISHED else None
    if transition == "report_upward":
        # Recorded by the unit's editors once the content is reviewed; the state stays.
        return state if role in EDITORS and state in (ReportState.APPROVED, ReportState.PUBLISHED) else None
    if transition == "edit":
        clerk_may = role == "clerk" and state in (ReportState.DRAFT, ReportState.PUBLISHED, ReportState.WITHDRAWN)
        if role in EDITORS or clerk_may:
            return ReportState.DRAFT if state in (ReportState.APPROVED, ReportState.PUBLISHED) else state
        return None
    if transition == "restore":
        return ReportState.DRAFT if role in EDITORS else None
    if transition == "override_check":
        # Not for the submitter while the submission is under review: four eyes.
        allowed = state in (ReportState.DRAFT, ReportState.WITHDRAWN, ReportState.SUBMITTED)
        allowed = allowed and not (role == "submitter_editor" and state == ReportState.SUBMITTED)
        return state if role in EDITORS and allowed else None
    raise AssertionError(transition)


EXPECTED_ACTION = {
    "submit": WorkflowAction.SUBMIT,
    "return": WorkflowAction.RETURN,
    "approve": WorkflowAction.APPROVE,
    "publish": WorkflowAction.PUBLISH,
    "schedule": WorkflowAction.PUBLISH,
    "withdraw": WorkflowAction.WITHDRAW,
    "report_upward": WorkflowAction.REPORT_UPWARD,
    "edit": WorkflowAction.EDIT,
}


@dataclass
class World:
    """The eight roles and one report of ``organization`` in each state."""

    users: dict
    report_ids: dict

    def report(self, state: str) -> Report:
        return Report.objects.get(pk=self.report_ids[state])


def build_world() -> World:
    organization, other_organization = factories.make_organization(), factories.make_organization()
    clerk, editor = factories.make_clerk(organization), factories.make_editor(organization)
    submitter = factories.make_editor(organization)
    users = {
        "clerk": clerk,
        "other_clerk": factories.make_clerk(other_organization),
        "editor": editor,
        "other_editor": factories.make_editor(other_organization),
        "all_editor": factories.make_editor(all_organizations=True),
        "auditor": factories.make_auditor(),
        "superuser": factories.make_user(is_superuser=True),
        "submitter_editor": submitter,
    }
    # Each state is reached by the ordinary path; the submitter_editor submits, so four eyes apply to them.
    steps = [
        lambda report: services.submit_for_review(report=report, user=submitter),
        lambda report: services.approve(report=report, user=editor, secrecy_checked=True),
        lambda report: services.publish(report=report, user=editor),
        lambda report: services.withdraw(report=report, user=editor, reason="数据有误。"),
    ]
    report_ids = {}
    for depth, state in enumerate(STATES):
        report = factories.make_report(organization=organization, author=clerk, year=2015 + depth, items_per_section=0)
        for step in steps[:depth]:
            step(report)
        report.refresh_from_db()
        assert report.state == state
        report_ids[state] = report.pk
    return World(users=users, report_ids=report_ids)


def take(transition: str, *, report: Report, user) -> None:
    """Take one step with valid input, as the admin would."""
    if transition == "submit":
        services.submit_for_review(report=report, user=user)
    elif transition == "return":
        services.return_for_revision(report=report, user=user, comment="请补充第二部分的数据。")
    elif transition == "approve":
        services.approve(report=report, user=user, secrecy_checked=True)
    elif transition == "publish":
        services.publish(report=report, user=user)
    elif transition == "schedule":
        services.publish(report=report, user=user, at=timezone.now() + timedelta(days=1))
    elif transition == "withdraw":
        services.withdraw(report=report, user=user, reason="发现错别字，更正后重新发布。")
    elif transition == "report_upward":
        services.report_upward(report=report, user=user, sent_on=timezone.localdate(), document_number="〔2020〕1号")
    elif transition == "edit":
        # The admin changes the working copy and records the edit in one transaction.
        with transaction.atomic():
            Report.objects.filter(pk=report.pk).update(preamble="<p>更正后的导语。</p>")
            services.record_edit(report=report, user=user)
    else:
        raise AssertionError(transition)


def footprint(report: Report) -> tuple:
    report.refresh_from_db()
    return report.state, report.version, report.events.count(), report.revisions.count(), report.preamble


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker):
    # Built once per class inside a transaction rolled back at the class's end; each test
    # runs in a savepoint within it, so its changes vanish after it.
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


class TestTransitionMatrix:
    """Every role × every step × every state."""

    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("transition", TRANSITIONS)
    @pytest.mark.parametrize("role", ROLES)
    def test_transition(self, db, world, role, transition, state):
        """Allowed steps succeed and log exactly one event; refused ones say why in Chinese and change nothing."""
        report = world.report(state)
        user = world.users[role]
        before = footprint(report)
        last_sequence = report.events.order_by("-sequence").first().sequence
        expected = expected_state(role, transition, state)

        if expected is None:
            with pytest.raises(WorkflowError) as refused:
                take(transition, report=report, user=user)
            assert CHINESE.search(refused.value.message)
            assert footprint(report) == before
            return

        take(transition, report=report, user=user)
        report.refresh_from_db()
        assert report.state == expected
        new_events = list(report.events.filter(sequence__gt=last_sequence))
        assert len(new_events) == 1
        event = new_events[0]
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            EXPECTED_ACTION[transition],
            state,
            expected,
            user,
        )
        assert report.revisions.count() == before[3] + (1 if transition == "edit" else 0)
        # Recording the sending upward changes neither the working copy nor its state.
        assert report.version > before[1] or transition == "report_upward"

    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("role", ROLES)
    def test_allowed_actions_agree_with_the_rules(self, db, world, role, state):
        """The buttons the admin shows are exactly the steps the services accept."""
        expected = [step for step in services.STEP_CHECKS if expected_state(role, step, state) is not None]
        assert services.allowed_actions(world.users[role], world.report(state)) == expected


# --- Required input ---------------------------------------------------------------------


def submitted(report, by):
    services.submit_for_review(report=report, user=by)
    report.refresh_from_db()
    return report


def approved(report, by_clerk, by_editor):
    submitted(report, by_clerk)
    services.approve(report=report, user=by_editor, secrecy_checked=True)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_return_requires_a_comment(report, clerk, editor, comment):
    submitted(report, clerk)
    before = footprint(report)
    with pytest.raises(WorkflowError, match="退回意见"):
        services.return_for_revision(report=report, user=editor, comment=comment)
    assert footprint(report) == before


def test_return_comment_is_recorded_for_the_author(report, clerk, editor):
    submitted(report, clerk)
    services.return_for_revision(report=report, user=editor, comment="  请补充第三部分。 ")
    event = report.events.order_by("-sequence").first()
    assert (event.action, event.comment) == (WorkflowAction.RETURN, "请补充第三部分。")


@pytest.mark.parametrize("secrecy_checked", [False, None, "on"])
def test_approval_requires_the_secrecy_review_to_be_confirmed(report, clerk, editor, secrecy_checked):
    submitted(report, clerk)
    before = footprint(report)
    with pytest.raises(WorkflowError, match="保密审查"):
        services.approve(report=report, user=editor, secrecy_checked=secrecy_checked)
    assert footprint(report) == before


def test_approval_records_the_secrecy_review_and_the_reviewed_revision(report, clerk, editor):
    approved(report, clerk, editor)
    event = report.events.order_by("-sequence").first()
    assert event.secrecy_checked is True
    assert event.revision == report.revisions.order_by("-number").first()


def test_submitter_cannot_approve_own_submission(organization, clerk):
    editor = factories.make_editor(organization)
    report = factories.make_report(organization=organization, author=clerk)
    submitted(report, editor)
    before = footprint(report)
    with pytest.raises(WorkflowError, match="双人审核"):
        services.approve(report=report, user=editor, secrecy_checked=True)
    assert footprint(report) == before


def test_editor_who_changed_the_text_during_review_cannot_approve_it(report, organization, clerk, editor):
    submitted(report, clerk)
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(preamble="<p>审核人改过的导语。</p>")
        services.record_edit(report=report, user=editor)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    with pytest.raises(WorkflowError, match="审核期间修改过"):
        services.approve(report=report, user=editor, secrecy_checked=True)

    second_editor = factories.make_editor(organization)
    services.approve(report=report, user=second_editor, secrecy_checked=True)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


def test_edits_before_the_submission_do_not_bar_the_editor_from_approving(report, clerk, editor):
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(preamble="<p>起草阶段审核人帮忙改的导语。</p>")
        services.record_edit(report=report, user=editor)
    submitted(report, clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


def test_auditor_listed_as_editor_still_cannot_approve(report, organization, clerk, auditor):
    organization.editors.add(auditor)
    organization.clerks.add(auditor)
    submitted(report, clerk)
    with pytest.raises(WorkflowError):
        services.approve(report=report, user=auditor, secrecy_checked=True)
    assert not services.can_edit(auditor, report)


def test_renaming_the_auditors_group_keeps_auditors_read_only(report, organization, auditor):
    """Roles are recognised by the permission they grant, not by a name a superuser may change."""
    auditor.groups.update(name="审计组")
    organization.clerks.add(auditor)
    auditor = type(auditor).objects.get(pk=auditor.pk)  # a fresh permission cache
    assert not services.can_edit(auditor, report)
    with pytest.raises(WorkflowError):
        services.submit_for_review(report=report, user=auditor)


def test_clerk_listed_as_editor_without_the_role_cannot_approve(report, organization, clerk):
    other = factories.make_clerk(organization)
    organization.editors.add(other)
    submitted(report, clerk)
    with pytest.raises(WorkflowError, match="审核人"):
        services.approve(report=report, user=other, secrecy_checked=True)


def test_inactive_editor_cannot_take_any_step(report, clerk, editor):
    submitted(report, clerk)
    editor.is_active = False
    editor.save()
    assert services.allowed_actions(editor, report) == []
    with pytest.raises(WorkflowError):
        services.approve(report=report, user=editor, secrecy_checked=True)


# --- Publishing and scheduling ------------------------------------------------------------


def test_schedule_in_the_past_is_refused(report, clerk, editor):
    approved(report, clerk, editor)
    before = footprint(report)
    with pytest.raises(WorkflowError, match="定时发布时间不能早于当前时间"):
        services.publish(report=report, user=editor, at=timezone.now() - timedelta(hours=1))
    assert footprint(report) == before


def test_schedule_a_few_seconds_late_publishes_now_not_in_the_past(report, clerk, editor):
    approved(report, clerk, editor)
    before = timezone.now()
    services.publish(report=report, user=editor, at=before - timedelta(seconds=20))
    event = report.events.order_by("-sequence").first()
    assert event.effective_at >= before


def test_schedule_given_as_local_wall_time_means_shanghai_time(report, clerk, editor):
    approved(report, clerk, editor)
    next_year = timezone.localtime().year + 1
    services.publish(report=report, user=editor, at=datetime(next_year, 1, 2, 9, 0))  # noqa: DTZ001
    event = report.events.order_by("-sequence").first()
    assert timezone.localtime(event.effective_at).strftime("%Y-%m-%d %H:%M %Z") == f"{next_year}-01-02 09:00 CST"


def test_scheduled_report_becomes_public_at_its_time_with_that_time_as_publish_time(report, clerk, editor):
    approved(report, clerk, editor)
    go_live = timezone.now() + timedelta(days=2)
    services.publish(report=report, user=editor, at=go_live)
    report.refresh_from_db()
    assert report.first_published_at == go_live
    assert not Report.objects.published().filter(pk=report.pk).exists()
    with mock.patch("django.utils.timezone.now", return_value=go_live):
        public = Report.objects.published().get(pk=report.pk)
    assert public.public_since == go_live


def test_publish_makes_the_approved_revision_public(report, clerk, editor):
    approved(report, clerk, editor)
    approval = report.events.order_by("-sequence").first()
    services.publish(report=report, user=editor)
    public = Report.objects.published().get(pk=report.pk)
    assert public.public_revision_id == approval.revision_id


def test_editing_a_published_report_keeps_the_public_revision_until_republished(published_report, clerk, editor):
    live = Report.objects.published().get(pk=published_report.pk).public_revision_id
    with transaction.atomic():
        Report.objects.filter(pk=published_report.pk).update(preamble="<p>更正错别字。</p>")
        services.record_edit(report=published_report, user=clerk)
    published_report.refresh_from_db()
    assert published_report.state == ReportState.DRAFT
    assert Report.objects.published().get(pk=published_report.pk).public_revision_id == live
    assert published_report.is_public_or_scheduled


def test_republishing_keeps_the_first_publish_time(published_report, clerk, editor, organization):
    first = published_report.first_published_at
    with transaction.atomic():
        Report.objects.filter(pk=published_report.pk).update(preamble="<p>更正错别字。</p>")
        services.record_edit(report=published_report, user=clerk)
    services.submit_for_review(report=published_report, user=clerk)
    services.approve(report=published_report, user=editor, secrecy_checked=True)
    services.publish(report=published_report, user=editor, note="更正错别字", note_is_public=True)
    published_report.refresh_from_db()
    public = Report.objects.published().get(pk=published_report.pk)
    assert published_report.first_published_at == first
    assert public.public_since > first
    assert public.public_revision_id == published_report.revisions.order_by("-number").first().pk


def test_withdrawal_requires_a_reason(published_report, editor):
    before = footprint(published_report)
    with pytest.raises(WorkflowError, match="撤回原因"):
        services.withdraw(report=published_report, user=editor, reason=" ")
    assert footprint(published_report) == before


def test_withdrawal_takes_the_report_off_the_public_site(published_report, editor):
    services.withdraw(report=published_report, user=editor, reason="内容需要更新。", reason_is_public=True)
    assert not Report.objects.published().filter(pk=published_report.pk).exists()
    event = published_report.events.order_by("-sequence").first()
    assert (event.comment, event.comment_is_public) == ("内容需要更新。", True)


def test_withdrawing_a_schedule_before_it_goes_live_means_it_was_never_published(report, clerk, editor):
    approved(report, clerk, editor)
    go_live = timezone.now() + timedelta(days=1)
    services.publish(report=report, user=editor, at=go_live)
    services.withdraw(report=report, user=editor, reason="推迟发布。")
    report.refresh_from_db()
    assert report.first_published_at is None
    with mock.patch("django.utils.timezone.now", return_value=go_live + timedelta(days=1)):
        assert not Report.objects.published().filter(pk=report.pk).exists()


def test_published_report_edited_into_a_draft_can_still_be_withdrawn(published_report, clerk, editor):
    with transaction.atomic():
        Report.objects.filter(pk=published_report.pk).update(preamble="<p>新草稿。</p>")
        services.record_edit(report=published_report, user=clerk)
    assert "withdraw" in services.allowed_actions(editor, published_report)
    services.withdraw(report=published_report, user=editor, reason="暂停公开。")
    assert not Report.objects.published().filter(pk=published_report.pk).exists()


def test_withdrawn_report_goes_public_again_only_through_review(published_report, clerk, editor):
    services.withdraw(report=published_report, user=editor, reason="暂停公开。")
    published_report.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.publish(report=published_report, user=editor)
    services.submit_for_review(report=published_report, user=clerk)
    services.approve(report=published_report, user=editor, secrecy_checked=True)
    services.publish(report=published_report, user=editor)
    assert Report.objects.published().filter(pk=published_report.pk).exists()


def test_stale_form_cannot_overwrite_a_newer_version(report, clerk):
    loaded_version = report.version
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(preamble="<p>第一次保存。</p>")
        services.record_edit(report=report, user=clerk, expected_version=loaded_version)
    before = footprint(report)
    with pytest.raises(WorkflowError, match="已被他人修改"):
        services.record_edit(report=report, user=clerk, expected_version=loaded_version)
    assert footprint(report) == before


# --- Work lists --------------------------------------------------------------------------


def test_waiting_for_editor_lists_submitted_and_approved_reports_of_their_organizations(
    organization, other_organization, clerk, editor
):
    waiting_review = submitted(factories.make_report(organization=organization, author=clerk, year=2019), clerk)
    waiting_publish = approved(
        factories.make_report(organization=organization, author=clerk, year=2020),
        clerk,
        factories.make_editor(organization),
    )
    factories.make_report(organization=organization, author=clerk, year=2021)
    other_clerk = factories.make_clerk(other_organization)
    submitted(factories.make_report(organization=other_organization, author=other_clerk), other_clerk)

    assert set(services.waiting_for(editor)) == {waiting_review, waiting_publish}


def test_waiting_for_editor_skips_their_own_submission(organization, clerk, editor):
    report = submitted(factories.make_report(organization=organization, author=clerk), editor)
    assert list(services.waiting_for(editor)) == []
    assert list(services.waiting_for(factories.make_editor(organization))) == [report]


def test_waiting_for_clerk_lists_returned_drafts_even_after_saving_them(report, organization, clerk, editor):
    factories.make_report(organization=organization, author=clerk, year=2020)
    submitted(report, clerk)
    services.return_for_revision(report=report, user=editor, comment="请修改。")
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(preamble="<p>按意见修改。</p>")
        services.record_edit(report=report, user=clerk)

    assert list(services.waiting_for(clerk)) == [report]
    assert list(services.waiting_for(factories.make_clerk(factories.make_organization()))) == []


def test_nothing_waits_for_an_auditor(report, clerk, auditor):
    submitted(report, clerk)
    assert list(services.waiting_for(auditor)) == []


# --- Notifications -----------------------------------------------------------------------


def test_submission_emails_the_editors_covering_the_organization(
    report, organization, other_organization, clerk, editor, django_capture_on_commit_callbacks
):
    all_editor = factories.make_editor(all_organizations=True)
    factories.make_editor(other_organization)
    factories.make_clerk(organization)
    factories.make_editor(organization, email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(report=report, user=clerk, comment="请审核。")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([editor.email, all_editor.email])
    assert "待审核" in message.subject
    assert "请审核。" in message.body


def test_submitting_editor_is_not_emailed_about_their_own_submission(
    report, organization, editor, django_capture_on_commit_callbacks
):
    colleague = factories.make_editor(organization)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(report=report, user=editor)
    assert [message.to for message in mail.outbox] == [[colleague.email]]


@pytest.mark.parametrize(
    ("step", "subject"),
    [
        (lambda report, editor: services.return_for_revision(report=report, user=editor, comment="请修改。"), "退回"),
        (lambda report, editor: services.approve(report=report, user=editor, secrecy_checked=True), "审核通过"),
    ],
)
def test_decisions_email_the_author(report, clerk, editor, step, subject, django_capture_on_commit_callbacks):
    submitted(report, clerk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        step(report, editor)
    assert [message.to for message in mail.outbox] == [[clerk.email]]
    assert subject in mail.outbox[0].subject


def test_publication_emails_the_author(report, clerk, editor, django_capture_on_commit_callbacks):
    approved(report, clerk, editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(report=report, user=editor)
    assert [message.to for message in mail.outbox] == [[clerk.email]]
    assert "发布" in mail.outbox[0].subject


def test_scheduled_publication_email_names_the_go_live_time(report, clerk, editor, django_capture_on_commit_callbacks):
    approved(report, clerk, editor)
    next_year = timezone.localtime().year + 1
    go_live = timezone.make_aware(datetime(next_year, 3, 1, 9, 30))  # noqa: DTZ001
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(report=report, user=editor, at=go_live)
    assert f"{next_year}年3月1日 09:30" in mail.outbox[0].body


def test_refused_step_sends_no_email(report, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        services.approve(report=report, user=clerk, secrecy_checked=True)
    assert mail.outbox == []


def test_mail_server_outage_does_not_undo_the_step(
    report, clerk, editor, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(report=report, user=clerk)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
