"""Telling people about workflow steps: a notification in the portal for each, and an email where possible.

Every person a step concerns gets an in-app ``Notification``, written in the step's own
transaction, so the workflow never depends on mail: the 工作台 and 我的通知 show it. Those
with an email address are also mailed, after the step commits, through Django's email
machinery (console backend by default; SMTP when EMAIL_BACKEND and EMAIL_HOST are set).
``delivery_summary`` tells the person who took the step who was told, and how.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.models import Notification, WorkflowAction
from reports.people import person_name
from reports.roles import is_editor_for

logger = logging.getLogger(__name__)

NAME_SEPARATOR = "、"


def editors_covering(organization) -> list:
    """Active editors who review this organization's reports, with or without an email address."""
    review_all = Permission.objects.filter(content_type__app_label="reports", codename="review_all_organizations")
    users = get_user_model().objects
    # Each way of covering the unit is its own subquery: joined together they multiply rows
    # (every group permission of every member) only for DISTINCT to fold them again.
    candidates = (
        users.filter(is_active=True)
        .filter(
            Q(pk__in=organization.editors.values("pk"))
            | Q(pk__in=users.filter(user_permissions__in=review_all).values("pk"))
            | Q(pk__in=users.filter(groups__permissions__in=review_all).values("pk"))
        )
        .order_by("pk")
    )
    # Membership alone is not a role: the same rule as the workflow decides who reviews.
    return [user for user in candidates if is_editor_for(user, organization)]


def _send(subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        # A mail server outage must not undo a committed workflow step.
        logger.exception("could not send workflow email %r to %s", subject, recipients)


def _describe(event) -> dict:
    return {
        "title": str(event.report),
        "action": event.get_action_display(),
        "actor": person_name(event.actor),
        "comment": event.comment or _("（无）"),
    }


def _notify(event, people: list, subject: str, body: str) -> list[Notification]:
    """One notification per person (inside the step's transaction), and one email to those with an address."""
    notices = Notification.objects.bulk_create(
        [
            Notification(recipient=person, report=event.report, event=event, text=body, email=person.email)
            for person in people
        ]
    )
    addresses = [person.email for person in people if person.email]
    transaction.on_commit(lambda: _send(subject, body, addresses))
    return notices


def report_submitted(event) -> list[Notification]:
    """Tell the editors covering the organization that a report waits for them."""
    people = [user for user in editors_covering(event.report.organization) if user != event.actor]
    details = _describe(event)
    return _notify(
        event,
        people,
        _("【待审核】%(title)s") % details,
        _("%(actor)s 提交了《%(title)s》，请登录后台审核。\n说明：%(comment)s") % details,
    )


def _decision_body(event) -> str:
    details = _describe(event)
    if event.effective_at and event.effective_at > event.created_at:
        details["time"] = date_format(timezone.localtime(event.effective_at), "Y年n月j日 H:i")
        return _("您的报告《%(title)s》已由 %(actor)s 安排定时发布，将于 %(time)s 向公众公开。") % details
    return _("您的报告《%(title)s》已被 %(actor)s %(action)s。\n意见：%(comment)s") % details


def report_decided(event) -> list[Notification]:
    """Tell the report's author that it was returned, approved or published."""
    author = event.report.submitted_by or event.report.created_by
    people = [] if author is None or author == event.actor or not author.is_active else [author]
    return _notify(event, people, _("【%(action)s】%(title)s") % _describe(event), _decision_body(event))


def delivery_summary(event) -> str:
    """Who the step's notifications reached and how, for the message shown after the step."""
    notices = list(event.notifications.select_related("recipient").order_by("pk"))
    if not notices:
        if event.action == WorkflowAction.SUBMIT:
            return _("没有负责该单位的审核人，无人收到通知，请联系系统管理员指定审核人。")
        return _("没有需要通知的人。")
    mailed = [person_name(notice.recipient) for notice in notices if notice.email]
    in_app_only = [person_name(notice.recipient) for notice in notices if not notice.email]
    if not mailed:
        return _("已发站内通知给 %(names)s；他们都没有填写邮箱地址，未发送邮件。") % {
            "names": NAME_SEPARATOR.join(in_app_only)
        }
    names = [_("%(name)s（邮件和站内通知）") % {"name": name} for name in mailed]
    names += [_("%(name)s（仅站内通知，没有邮箱地址）") % {"name": name} for name in in_app_only]
    return _("已通知 %(names)s。") % {"names": NAME_SEPARATOR.join(names)}


def public_findings(organization, pages: list[tuple]) -> bool:
    """Tell the editors covering ``organization`` which of its public pages now hold findings.

    ``pages`` is a list of (report, [PublicFinding]). Returns whether a mail went out, so the
    caller marks the findings as told only then (a mail outage is retried on the next run).
    """
    recipients = [user.email for user in editors_covering(organization)]
    if not recipients:
        return False
    lines = []
    for report, findings in pages:
        lines.append(_("《%(title)s》（索引号 %(index)s）") % {"title": report, "index": report.index_number})
        for finding in findings:
            lines.append(
                _("  - 【%(severity)s】%(location)s：%(text)s；建议：%(suggestion)s")
                % {
                    "severity": finding.get_severity_display(),
                    "location": finding.location,
                    "text": finding.text,
                    "suggestion": finding.suggestion or "—",
                }
            )
    subject = _("【发布前检查】%(organization)s有 %(count)s 份已公开的报告发现问题") % {
        "organization": organization.name,
        "count": len(pages),
    }
    body = _(
        "检查词表或检查规则更新后，重新检查了已公开的报告，发现以下问题。公开页面上的文字不会自动修改，"
        "请登录后台核对；需要更正的，修改后重新审核、发布。\n\n%(pages)s"
    ) % {"pages": "\n".join(lines)}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        logger.exception("could not send the public findings of %s to %s", organization, recipients)
        return False
    return True
