"""In-app notifications beside the emails: everyone a step concerns is told, and the step says who and how."""

import pytest
from django.core import mail
from django.urls import reverse

from reports import services
from reports.models import Notification
from tests import factories
from tests.factories import messages_of


def step_url(report, step: str) -> str:
    return reverse("admin:reports_report_workflow", args=[report.pk, step])


def submit_in_admin(client, report, clerk):
    client.force_login(clerk)
    return client.post(step_url(report, "submit"), {"comment": "请审核"}, follow=True)


def test_submission_notifies_every_covering_editor_in_the_portal_and_mails_those_with_an_address(
    report, organization, clerk, editor, django_capture_on_commit_callbacks
):
    without_address = factories.make_editor(organization, email="")

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(report=report, user=clerk, comment="请审核。")

    notices = {notice.recipient: notice for notice in Notification.objects.filter(report=report)}
    assert set(notices) == {editor, without_address}
    assert (notices[editor].email, notices[without_address].email) == (editor.email, "")
    assert "请审核。" in notices[without_address].text
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_a_returned_author_without_an_address_is_still_told_in_the_portal(report, organization, editor):
    author = factories.make_clerk(organization, email="")
    report.created_by = author
    report.save()
    services.submit_for_review(report=report, user=author)

    services.return_for_revision(report=report, user=editor, comment="第二部分要写原因。")

    notice = Notification.objects.get(recipient=author)
    assert "第二部分要写原因。" in notice.text
    assert notice.email == ""


def test_a_refused_step_leaves_no_notification(report, clerk):
    with pytest.raises(services.WorkflowError):
        services.approve(report=report, user=clerk, secrecy_checked=True)

    assert not Notification.objects.exists()


def test_the_message_after_a_step_names_who_was_mailed_and_who_only_told_in_the_portal(
    client, report, organization, clerk, editor
):
    factories.make_editor(organization, email="", first_name="李四")
    editor.first_name = "张三"
    editor.save()

    response = submit_in_admin(client, report, clerk)

    assert "已提交审核。已通知 张三（邮件和站内通知）、李四（仅站内通知，没有邮箱地址）。" in messages_of(response)


def test_the_message_says_so_when_no_editor_has_an_address(client, report, organization, clerk):
    factories.make_editor(organization, email="", first_name="李四")

    response = submit_in_admin(client, report, clerk)

    assert "已提交审核。已发站内通知给 李四；他们都没有填写邮箱地址，未发送邮件。" in messages_of(response)
    assert mail.outbox == []


def test_the_message_says_so_when_nobody_reviews_the_unit(client, report, clerk):
    response = submit_in_admin(client, report, clerk)

    assert "已提交审核。没有负责该单位的审核人，无人收到通知，请联系系统管理员指定审核人。" in messages_of(response)


def test_each_person_lists_only_their_own_notifications(client, report, organization, clerk, editor):
    colleague = factories.make_editor(organization)
    services.submit_for_review(report=report, user=clerk, comment="请审核")
    client.force_login(editor)

    response = client.get(reverse("admin:reports_notification_changelist"))

    assert [notice.recipient for notice in response.context["cl"].result_list] == [editor]
    assert Notification.objects.filter(recipient=colleague).exists()


def test_the_header_counts_unread_notifications(client, report, clerk, editor):
    services.submit_for_review(report=report, user=clerk)
    client.force_login(editor)

    assert "站内通知（1 条未读）" in client.get(reverse("admin:index")).content.decode()


def test_marking_all_read_needs_a_post_and_touches_only_ones_own(client, report, organization, clerk, editor):
    colleague = factories.make_editor(organization)
    services.submit_for_review(report=report, user=clerk)
    client.force_login(editor)
    url = reverse("admin:reports_notification_mark_all_read")

    assert client.get(url).status_code == 405
    assert Notification.objects.unread().count() == 2
    response = client.post(url, follow=True)

    assert "已将 1 条通知标为已读。" in messages_of(response)
    assert list(Notification.objects.unread().values_list("recipient", flat=True)) == [colleague.pk]


def test_the_list_action_marks_the_selected_notifications_read(client, report, clerk, editor):
    services.submit_for_review(report=report, user=clerk)
    notice = Notification.objects.get(recipient=editor)
    client.force_login(editor)

    client.post(
        reverse("admin:reports_notification_changelist"),
        {"action": "mark_read", "_selected_action": [notice.pk]},
    )

    notice.refresh_from_db()
    assert notice.read_at is not None
