"""The gates: block-level findings stop submission and approval until fixed or overridden by another editor."""

import io

import pytest
from django.core.management import call_command

from reports import services
from reports.checking import review
from reports.checking.review import CheckError
from reports.history.hashchain import event_payload
from reports.models import ReportState, WorkflowAction
from reports.services import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db

ID_NUMBER = "<p>联系人身份证号11010519491231002X。</p>"
TYPO = "<p>全面布署今年的工作。</p>"
CLEAN = "<p>现将本年度法治政府建设情况报告如下：</p>"


@pytest.fixture
def other_editor(organization):
    return factories.make_editor(organization)


@pytest.fixture
def blocked(report, clerk):
    return factories.edit_report(report, user=clerk, preamble=ID_NUMBER)


def override(report, user, reason="身份证号为虚构的示例号码，已核实。"):
    event = services.override_check(report=report, user=user, reason=reason)
    report.refresh_from_db()
    return event


def test_clerk_cannot_submit_while_a_block_level_finding_is_open(blocked, clerk):
    with pytest.raises(WorkflowError, match="1 处必须修改的问题"):
        services.submit_for_review(report=blocked, user=clerk)
    blocked.refresh_from_db()
    assert blocked.state == ReportState.DRAFT
    assert "submit" not in services.allowed_actions(clerk, blocked)


def test_warnings_do_not_stop_submission(report, clerk):
    factories.edit_report(report, user=clerk, preamble=TYPO)
    services.submit_for_review(report=report, user=clerk)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_fixing_the_text_opens_the_gate(blocked, clerk):
    factories.edit_report(blocked, user=clerk, preamble=CLEAN)
    services.submit_for_review(report=blocked, user=clerk)
    blocked.refresh_from_db()
    assert blocked.state == ReportState.SUBMITTED


def test_an_editors_override_lets_the_clerk_submit_and_is_recorded_in_the_chain(blocked, clerk, editor):
    event = override(blocked, editor)
    services.submit_for_review(report=blocked, user=clerk)
    blocked.refresh_from_db()
    assert blocked.state == ReportState.SUBMITTED
    assert (event.action, event.actor, event.revision, event.from_state, event.to_state) == (
        WorkflowAction.OVERRIDE_CHECK,
        editor,
        blocked.revisions.order_by("-number").first(),
        ReportState.DRAFT,
        ReportState.DRAFT,
    )
    assert event.comment.startswith("放行理由：身份证号为虚构的示例号码，已核实。")
    (finding,) = review.review(blocked).blocking
    assert f"[f:{finding.fingerprint}]" in event.comment
    # Personal data stays out of the permanent record.
    assert "11010519491231002X" not in event.comment and "1101**********002X" in event.comment


def test_the_override_keeps_the_event_payload_format_and_verify_history_accepts_it(blocked, editor):
    event = override(blocked, editor)
    assert set(event_payload(event)) == {
        "report", "sequence", "actor", "action", "from_state", "to_state", "comment", "created_at", "revision",
        "effective_at", "secrecy_checked", "comment_is_public",
    }  # fmt: skip
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert out.getvalue().startswith("OK")


def test_an_editors_own_override_does_not_count_when_that_editor_submits(organization, editor, other_editor):
    report = factories.make_report(organization=organization, author=editor)
    factories.edit_report(report, user=editor, preamble=ID_NUMBER)
    override(report, editor)
    with pytest.raises(WorkflowError):
        services.submit_for_review(report=report, user=editor)
    override(report, other_editor)
    services.submit_for_review(report=report, user=editor)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_the_submitter_cannot_override_during_review(organization, editor, other_editor):
    report = factories.make_report(organization=organization, author=editor)
    services.submit_for_review(report=report, user=editor)
    factories.edit_report(report, user=other_editor, preamble=ID_NUMBER)
    assert not services.can_take("override_check", user=editor, report=report)
    with pytest.raises(WorkflowError, match="双人审核"):
        services.override_check(report=report, user=editor, reason="理由")


def test_approval_is_refused_while_a_block_level_finding_is_open(report, clerk, editor, other_editor):
    services.submit_for_review(report=report, user=clerk)
    factories.add_word("测试街道", "示例街道", severity="block")  # the lists changed during review
    with pytest.raises(WorkflowError, match="必须修改"):
        services.approve(report=report, user=editor, secrecy_checked=True)
    override(report, other_editor, reason="单位名称正确，词条有误，已通知修改词表。")
    services.approve(report=report, user=editor, secrecy_checked=True)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


def test_an_override_covers_only_its_revision(blocked, clerk, editor):
    override(blocked, editor)
    factories.edit_report(blocked, user=clerk, preamble=ID_NUMBER + "<p>补充一句。</p>")
    with pytest.raises(WorkflowError):
        services.submit_for_review(report=blocked, user=clerk)


@pytest.mark.parametrize(
    ("role", "reason", "message"),
    [
        ("clerk", "理由", "审核人"),
        ("auditor", "理由", "审核人"),
        ("editor", "  ", "理由"),
    ],
)
def test_override_needs_an_editor_and_a_reason(request, blocked, role, reason, message):
    user = request.getfixturevalue(role)
    with pytest.raises(WorkflowError, match=message):
        services.override_check(report=blocked, user=user, reason=reason)
    assert not blocked.events.filter(action=WorkflowAction.OVERRIDE_CHECK).exists()


def test_a_reason_cannot_smuggle_in_an_override_mark(blocked, editor):
    override(blocked, editor, reason="另见 [f:0123456789abcdef]。")
    (finding,) = review.review(blocked).blocking
    assert set(review.overrides_of(blocked, blocked.revisions.order_by("-number").first())) == {finding.fingerprint}


def test_nothing_to_override_is_refused(report, editor):
    with pytest.raises(WorkflowError, match="没有需要您放行"):
        services.override_check(report=report, user=editor, reason="理由")


def test_an_override_is_not_the_reports_last_step(report, clerk, editor):
    services.submit_for_review(report=report, user=clerk)
    services.return_for_revision(report=report, user=editor, comment="请补充。")
    factories.edit_report(report, user=clerk, preamble=ID_NUMBER)
    override(report, editor)
    assert services.with_last_step(type(report).objects.filter(pk=report.pk)).get().last_step == "return"


# --- Ignoring warnings ----------------------------------------------------------------------


def warning_of(report):
    (finding,) = review.review(report).warnings
    return finding


def test_a_warning_ignored_with_a_reason_is_no_longer_listed(report, clerk):
    factories.edit_report(report, user=clerk, preamble=TYPO)
    finding = warning_of(report)
    ignored = review.ignore_finding(report=report, user=clerk, fingerprint=finding.fingerprint, reason="引用原文。")
    assert (ignored.user, ignored.reason, ignored.text) == (clerk, "引用原文。", "布署")
    result = review.review(report)
    assert result.warnings == [] and [f.text for f, _ in result.ignored_warnings] == ["布署"]


def test_an_ignored_warning_stays_ignored_while_its_sentence_does(report, clerk):
    factories.edit_report(report, user=clerk, preamble=TYPO)
    finding = warning_of(report)
    review.ignore_finding(report=report, user=clerk, fingerprint=finding.fingerprint, reason="引用原文。")
    factories.edit_report(report, user=clerk, preamble="<p>新的一段。</p>" + TYPO)
    assert review.review(report).warnings == []
    factories.edit_report(report, user=clerk, preamble="<p>今年全面布署工作。</p>")
    assert [f.text for f in review.review(report).warnings] == ["布署"]


@pytest.mark.parametrize(
    ("role", "preamble", "reason", "message"),
    [
        ("clerk", ID_NUMBER, "理由", "不能忽略"),
        ("clerk", TYPO, " ", "理由"),
        ("auditor", TYPO, "理由", "无权"),
        ("other_clerk", TYPO, "理由", "无权"),
    ],
)
def test_ignoring_is_refused_for_blocks_without_reason_or_to_outsiders(
    request, report, clerk, role, preamble, reason, message
):
    factories.edit_report(report, user=clerk, preamble=preamble)
    (finding,) = review.review(report).findings
    with pytest.raises(CheckError, match=message):
        review.ignore_finding(
            report=report, user=request.getfixturevalue(role), fingerprint=finding.fingerprint, reason=reason
        )
    assert not report.ignored_findings.exists()
