"""Emails about workflow steps, sent through Django's email machinery after the step commits.

Console backend by default; SMTP when EMAIL_BACKEND and EMAIL_HOST are set (see settings).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.roles import is_editor_for

logger = logging.getLogger(__name__)


def editors_covering(organization) -> list:
    """Active editors with an email address who review this organization's reports."""
    review_all = Permission.objects.filter(content_type__app_label="reports", codename="review_all_organizations")
    candidates = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(editor_organizations=organization)
            | Q(user_permissions__in=review_all)
            | Q(groups__permissions__in=review_all)
        )
        .exclude(email="")
        .distinct()
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


def _actor_name(event) -> str:
    if event.actor is None:
        return _("系统")
    return event.actor.get_full_name() or event.actor.get_username()


def _describe(event) -> dict:
    return {
        "title": str(event.report),
        "action": event.get_action_display(),
        "actor": _actor_name(event),
        "comment": event.comment or _("（无）"),
    }


def report_submitted(event) -> None:
    """Tell the editors covering the organization that a report waits for them."""
    recipients = [user.email for user in editors_covering(event.report.organization) if user != event.actor]
    _send(
        _("【待审核】%(title)s") % _describe(event),
        _("%(actor)s 提交了《%(title)s》，请登录后台审核。\n说明：%(comment)s") % _describe(event),
        recipients,
    )


def _decision_body(event) -> str:
    details = _describe(event)
    if event.effective_at and event.effective_at > event.created_at:
        details["time"] = date_format(timezone.localtime(event.effective_at), "Y年n月j日 H:i")
        return _("您的报告《%(title)s》已由 %(actor)s 安排定时发布，将于 %(time)s 向公众公开。") % details
    return _("您的报告《%(title)s》已被 %(actor)s %(action)s。\n意见：%(comment)s") % details


def report_decided(event) -> None:
    """Tell the report's author that it was returned, approved or published."""
    author = event.report.submitted_by or event.report.created_by
    if author is None or not author.email or author == event.actor:
        return
    _send(_("【%(action)s】%(title)s") % _describe(event), _decision_body(event), [author.email])


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
