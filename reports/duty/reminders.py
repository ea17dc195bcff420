"""Reminders before each milestone of the annual duty, and on the day it is missed.

Meant to run once a day (``manage.py send_deadline_reminders``). Which reminder is due is
decided from today's date alone: the tightest configured offset that has been reached
(a day the command did not run is caught up the next day), or the missed-day reminder
once the milestone has passed. Every email sent is a ``Reminder`` row, unique per unit,
year, milestone, offset and recipient (per recipient for an inspector's digest), so a
second run on the same day, or two runs at once, send nothing twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.duty.deadlines import Deadline, deadlines, local_date, reminder_days
from reports.duty.status import DutyRow, duty_rows
from reports.models import Organization, Reminder, ReminderKind
from reports.roles import can_draft_for, inspected_organizations, is_inspector

logger = logging.getLogger(__name__)

# How long after a missed milestone a first run still sends the missed-day reminder.
MISSED_CATCH_UP = timedelta(days=30)
MISSED = 0


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0
    failed: int = 0


def due_milestones(on: date) -> list[tuple[Deadline, int]]:
    """(milestone, days before it) that call for a reminder on ``on``; 0 is the missed-day reminder."""
    offsets = reminder_days()
    due = []
    for year in range(on.year - 2, on.year + 1):
        for deadline in deadlines(year):
            left = deadline.days_left(on)
            if 0 < left <= offsets[0]:
                due.append((deadline, min(offset for offset in offsets if offset >= left)))
            elif left <= 0 and on - deadline.due < MISSED_CATCH_UP:
                due.append((deadline, MISSED))
    return due


def _progress(row: DutyRow, deadline: Deadline):
    return row.upward if deadline.milestone == "upward" else row.publication


def _unit_message(row: DutyRow, deadline: Deadline, days_before: int, on: date) -> tuple[str, str]:
    facts = {
        "unit": row.organization.name,
        "year": row.year,
        "milestone": deadline.label,
        "day": f"{deadline.last_day.year}年{deadline.last_day.month}月{deadline.last_day.day}日",
        "days": deadline.days_left(on),
        "state": row.state_label,
        "next": row.next_step,
    }
    if days_before == MISSED:
        subject = _("【已逾期】%(unit)s%(year)s年度法治政府建设情况报告未按时%(milestone)s") % facts
        body = (
            _(
                "%(unit)s%(year)s年度法治政府建设情况报告应于 %(day)s 24 时（北京时间）前%(milestone)s，"
                "目前尚未完成，已经逾期。\n当前状态：%(state)s；下一步：%(next)s。\n请尽快登录后台办理。"
            )
            % facts
        )
    else:
        subject = _("【提醒】%(unit)s%(year)s年度报告%(milestone)s还剩 %(days)s 天") % facts
        body = (
            _(
                "%(unit)s%(year)s年度法治政府建设情况报告应于 %(day)s 24 时（北京时间）前%(milestone)s，"
                "还剩 %(days)s 天。\n当前状态：%(state)s；下一步：%(next)s。\n请登录后台办理。"
            )
            % facts
        )
    return subject, body


def _digest_message(rows: list[DutyRow], deadline: Deadline, days_before: int, on: date) -> tuple[str, str]:
    facts = {
        "year": deadline.year,
        "milestone": deadline.label,
        "count": len(rows),
        "day": f"{deadline.last_day.year}年{deadline.last_day.month}月{deadline.last_day.day}日",
        "days": deadline.days_left(on),
    }
    if days_before == MISSED:
        subject = _("【督察汇总】%(year)s年度报告%(milestone)s已截止，%(count)s 个单位未完成") % facts
    else:
        subject = _("【督察汇总】%(year)s年度报告%(milestone)s还剩 %(days)s 天，%(count)s 个单位未完成") % facts
    lines = [_("截止时间：%(day)s 24 时（北京时间）。尚未完成的单位：") % facts]
    lines += [
        _("%(unit)s：%(state)s，%(next)s")
        % {"unit": row.organization.name, "state": row.state_label, "next": row.next_step}
        for row in rows
    ]
    return subject, "\n".join(lines)


def _unit_recipients(organization: Organization) -> list:
    """The unit's active clerks and editors with an email address (membership alone is not a role)."""
    people = {*organization.clerks.filter(is_active=True), *organization.editors.filter(is_active=True)}
    return sorted((user for user in people if user.email and can_draft_for(user, organization)), key=lambda u: u.pk)


def _inspectors() -> list:
    candidates = get_user_model().objects.filter(is_active=True, inspected_organizations__isnull=False).distinct()
    return [user for user in candidates.order_by("pk") if user.email and is_inspector(user)]


def _send_once(outcome: Outcome, *, dry_run: bool, **record) -> None:
    """Send one reminder unless its record exists; the record and the email stand or fall together."""
    lookup = {name: record[name] for name in ("organization", "year", "milestone", "days_before", "recipient")}
    if Reminder.objects.filter(**lookup).exists():
        outcome.already_sent += 1
        return
    reminder = Reminder(**record, email=record["recipient"].email, sent_at=timezone.now())
    if dry_run:
        outcome.sent.append(reminder)
        return
    try:
        with transaction.atomic():
            reminder.save()
            # Inside the transaction: an email that could not be sent leaves no record, and the next run tries again.
            send_mail(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, [reminder.email])
    except IntegrityError:
        outcome.already_sent += 1  # a concurrent run recorded it first
    except OSError:
        logger.exception("could not send deadline reminder %r to %s", reminder.subject, reminder.email)
        outcome.failed += 1
    else:
        outcome.sent.append(reminder)


def send_reminders(*, dry_run: bool = False) -> Outcome:
    """Send today's reminders (Beijing's today) that have not been sent yet."""
    now = timezone.now()
    on = local_date(now)
    outcome = Outcome()
    inspectors = _inspectors()
    for deadline, days_before in due_milestones(on):
        pending = [row for row in duty_rows(deadline.year, at=now) if _progress(row, deadline).done_at is None]
        common = {"year": deadline.year, "milestone": deadline.milestone, "days_before": days_before}
        for row in pending:
            subject, body = _unit_message(row, deadline, days_before, on)
            for person in _unit_recipients(row.organization):
                _send_once(
                    outcome,
                    dry_run=dry_run,
                    kind=ReminderKind.UNIT,
                    organization=row.organization,
                    recipient=person,
                    subject=subject,
                    body=body,
                    **common,
                )
        for inspector in inspectors:
            scope = set(inspected_organizations(inspector).values_list("pk", flat=True))
            theirs = [row for row in pending if row.organization.pk in scope]
            if not theirs:
                continue
            subject, body = _digest_message(theirs, deadline, days_before, on)
            _send_once(
                outcome,
                dry_run=dry_run,
                kind=ReminderKind.DIGEST,
                organization=None,
                recipient=inspector,
                subject=subject,
                body=body,
                **common,
            )
    return outcome
