"""Workflow steps on many reports at once, from the report list: 批量提交审核 and 批量发布.

Each is an admin action that first shows a confirmation page listing every selected
report with what will happen to it (or why the service will refuse it, and for a
submission what a reviewer will miss); only the confirmation's POST takes the steps,
one service call per report, each in its own transaction, so one refusal stops no other.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import services
from reports.admin.workflow import submission_warnings
from reports.people import person_name
from reports.roles import is_auditor, reviewed_organizations

CONFIRMED = "yes"


@dataclass(frozen=True)
class BulkStep:
    step: str
    label: str
    explanation: str

    def take(self, *, report, user) -> None:
        if self.step == "submit":
            services.submit_for_review(report=report, user=user)
        else:
            services.publish(report=report, user=user)


BULK_STEPS = {
    "bulk_submit": BulkStep(
        "submit",
        gettext_lazy("提交审核"),
        gettext_lazy("所选草稿将提交给负责该单位的审核人；审核人会收到站内通知，有邮箱的还会收到邮件。"),
    ),
    "bulk_publish": BulkStep(
        "publish",
        gettext_lazy("立即发布"),
        gettext_lazy("所选报告中已审核通过的版本将立即向公众公开，发布时间由系统记录。"),
    ),
}


def _refusal(step: str, *, user, report) -> str:
    try:
        services.check_step(step, user=user, report=report)
    except services.WorkflowError as error:
        return error.message
    return ""


class BulkWorkflowAdminMixin:
    """The bulk workflow actions of the report list."""

    bulk_template = "admin/reports/report/bulk_step.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        user = request.user
        if is_auditor(user) or not self.has_change_permission(request):
            actions.pop("bulk_submit", None)
        if is_auditor(user) or not reviewed_organizations(user).exists():
            actions.pop("bulk_publish", None)
        return actions

    @admin.action(description=gettext_lazy("提交审核（所选草稿）"))
    def bulk_submit(self, request, queryset):
        return self._bulk(request, queryset, "bulk_submit")

    @admin.action(description=gettext_lazy("立即发布（所选已审核通过的报告）"))
    def bulk_publish(self, request, queryset):
        return self._bulk(request, queryset, "bulk_publish")

    def _bulk(self, request, queryset, action: str):
        definition = BULK_STEPS[action]
        reports = list(queryset.select_related("organization"))
        if request.POST.get("confirm") == CONFIRMED:
            self._take(request, definition, reports)
            return None  # back to the list, which shows the messages
        rows = [
            {
                "report": report,
                "refusal": _refusal(definition.step, user=request.user, report=report),
                "warnings": submission_warnings(report) if definition.step == "submit" else [],
            }
            for report in reports
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("批量%(step)s") % {"step": definition.label},
            "step": definition,
            "action": action,
            "rows": rows,
            "takers": [row for row in rows if not row["refusal"]],
            "selected": [report.pk for report in reports],
            "select_across": request.POST.get("select_across", "0"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.bulk_template, context)

    def _take(self, request, definition: BulkStep, reports) -> None:
        done, refused = [], []
        for report in reports:
            try:
                definition.take(report=report, user=request.user)
            except services.WorkflowError as error:
                refused.append(_("《%(title)s》：%(reason)s") % {"title": report, "reason": error.message})
            else:
                done.append(report)
        if done:
            self.message_user(
                request,
                _("已%(step)s %(count)s 份报告（%(who)s操作）。")
                % {"step": definition.label, "count": len(done), "who": person_name(request.user)},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("以下 %(count)s 份报告未能%(step)s：%(list)s")
                % {"count": len(refused), "step": definition.label, "list": "；".join(refused)},
                messages.WARNING,
            )
