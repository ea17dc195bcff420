"""``rescan_published``: public pages checked again with today's lists, each unit's editors told once."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from reports import services
from reports.checking import review
from reports.checking.models import PublicFinding
from tests import factories

pytestmark = pytest.mark.django_db


def rescan() -> str:
    out = io.StringIO()
    call_command("rescan_published", stdout=out)
    return out.getvalue()


@pytest.fixture
def public_with_typo(organization, clerk, editor):
    return factories.make_published_report(
        organization=organization, author=clerk, editor=editor, preamble="<p>新词语。</p>"
    )


def test_a_list_change_is_told_to_the_units_editors_once(public_with_typo, editor, other_organization):
    factories.make_published_report(organization=other_organization)
    factories.add_word("新词语", "规范词语")
    assert "新发现 1 处问题，本次通知了 1 处" in rescan()
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert str(public_with_typo) in message.body and "新词语" in message.body and "规范词语" in message.body
    assert "新发现 0 处问题，本次通知了 0 处" in rescan()
    assert len(mail.outbox) == 1
    (recorded,) = PublicFinding.objects.all()
    assert (recorded.report, recorded.revision_id, recorded.notified_at is not None) == (
        public_with_typo,
        public_with_typo.revisions.order_by("-number").first().pk,
        True,
    )


def test_only_what_the_public_reads_is_rescanned(public_with_typo, clerk):
    factories.edit_report(public_with_typo, user=clerk, preamble="<p>草稿里的新词语。</p>")
    factories.add_word("草稿里", "草稿中")
    rescan()
    assert mail.outbox == []


def test_personal_data_published_before_the_checks_is_told_masked(monkeypatch, organization, clerk, editor):
    with monkeypatch.context() as before_the_checks:
        before_the_checks.setattr(services, "_require_checks_passed", lambda report, *, submitter: None)
        report = factories.make_published_report(
            organization=organization, author=clerk, editor=editor, preamble="<p>联系人手机13812345678。</p>"
        )
    rescan()
    (message,) = mail.outbox
    assert "138****5678" in message.body and "13812345678" not in message.body
    assert PublicFinding.objects.get(report=report).text == "138****5678"


def test_overridden_findings_are_not_told_again(organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk, preamble="<p>手机13812345678。</p>")
    other = factories.make_editor(organization)
    services.override_check(report=report, user=other, reason="经本人同意公开。")
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)
    rescan()
    assert mail.outbox == []


def test_ignored_warnings_are_not_told(public_with_typo, clerk):
    factories.add_word("新词语", "规范词语")
    (finding,) = review.review(public_with_typo).warnings
    review.ignore_finding(report=public_with_typo, user=clerk, fingerprint=finding.fingerprint, reason="专有名词。")
    rescan()
    assert mail.outbox == []


def test_a_failed_mail_is_sent_on_the_next_run(monkeypatch, public_with_typo):
    factories.add_word("新词语", "规范词语")

    def outage(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("reports.notifications.send_mail", outage)
    assert "1 处因没有可通知的审核人或邮件发送失败" in rescan()
    monkeypatch.undo()
    assert "本次通知了 1 处" in rescan()
    assert len(mail.outbox) == 1
