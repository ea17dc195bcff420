"""The 工作台 (the admin's home page): each person's queues, their notifications and recent activity.

The queues are the same rules as the report list's 待办 filter (``services.work_queues``
plus the scheduled publications and the drafts not yet submitted), so each count links
to a list that shows exactly those reports. Nothing here changes anything but the
read marks of one's own notifications, and that only on POST.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import services
from reports.models import Notification, Report, ReportState, WorkflowAction, WorkflowEvent
from reports.roles import clerk_organizations, is_auditor, reviewed_organizations

RECENT_EVENTS = 10
RECENT_NOTIFICATIONS = 10

QUEUE_LABELS = {
    "review": gettext_lazy("待我审核"),
    "publish": gettext_lazy("待我发布"),
    "returned": gettext_lazy("退回待修改"),
    "drafts": gettext_lazy("草稿待提交"),
    "scheduled": gettext_lazy("定时发布"),
}
QUEUE_HELP = {
    "review": gettext_lazy("已提交、等您审核的报告"),
    "publish": gettext_lazy("已审核通过、等您发布的报告"),
    "returned": gettext_lazy("审核人退回、等起草人修改后重新提交的报告"),
    "drafts": gettext_lazy("本单位还没有提交审核的草稿"),
    "scheduled": gettext_lazy("已安排、尚未到时间公开的报告"),
}


def queues(user, reports) -> dict[str, object]:
    """Every queue of the 工作台 as a queryset of ``reports`` (the reports ``user`` may see)."""
    found = dict(services.work_queues(user, reports))
    drafting = services.with_last_step(reports).filter(
        state=ReportState.DRAFT, organization__in=clerk_organizations(user)
    )
    found["drafts"] = drafting.exclude(last_step=WorkflowAction.RETURN)
    found["scheduled"] = reports.scheduled()
    return {name: found[name] for name in QUEUE_LABELS}


def queues_of_role(user) -> list[str]:
    """The queues that belong to this person's work: editors review and publish, clerks draft."""
    if is_auditor(user):
        return ["scheduled"]
    names = []
    if reviewed_organizations(user).exists():
        names += ["review", "publish"]
    drafts = clerk_organizations(user).exists()
    names += ["returned", "drafts"] if drafts else ["returned"]
    return [*names, "scheduled"]


class QueueFilter(admin.SimpleListFilter):
    """待办: 待我处理 (every queue that is the user's next step) and each queue of the 工作台 alone."""

    title = gettext_lazy("待办")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        count = services.waiting_for(request.user, model_admin.get_queryset(request)).count()
        own = [(name, QUEUE_LABELS[name]) for name in queues_of_role(request.user)]
        return [("me", _("待我处理（%(count)s）") % {"count": count}), *own]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return services.waiting_for(request.user, queryset)
        if value in QUEUE_LABELS:
            return queues(request.user, queryset)[value]
        return queryset


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    help: str
    count: int
    url: str


def work_queues(user) -> list[Queue]:
    """The queues of this person's role with their counts."""
    changelist = reverse("admin:reports_report_changelist")
    every = queues(user, Report.objects.visible_to(user))
    shown = []
    for name in queues_of_role(user):
        reports = every[name]
        shown.append(
            Queue(name, str(QUEUE_LABELS[name]), str(QUEUE_HELP[name]), reports.count(), f"{changelist}?waiting={name}")
        )
    return shown


def recent_events(user) -> list[WorkflowEvent]:
    """The latest workflow steps on reports this person may see."""
    visible = Report.objects.visible_to(user).values("pk")
    return list(
        WorkflowEvent.objects.filter(report__in=visible)
        .exclude(action=WorkflowAction.CORRECT)
        .select_related("report__organization", "actor")
        .defer("report__preamble")
        .order_by("-created_at", "-pk")[:RECENT_EVENTS]
    )


def workbench_context(user) -> dict:
    """What the 工作台 shows this person besides the recent activity (``recent_events``)."""
    inbox = Notification.objects.filter(recipient=user)
    return {
        "queues": work_queues(user),
        "notifications": list(inbox.unread().select_related("report")[:RECENT_NOTIFICATIONS]),
        "unread_count": inbox.unread().count(),
        "notifications_url": reverse("admin:reports_notification_changelist"),
        "mark_read_url": reverse("admin:reports_notification_mark_all_read"),
    }
