"""The workflow in the admin: state badges, the 待我处理 list, and one confirmation page per step.

Buttons are links to small confirmation forms; the step happens only when that form is
POSTed, and then only through its service, which checks permission and state itself.
Which buttons appear comes from ``services.check_step``, the same checks the services
run: a step the service would take is a button, a step it would refuse is shown disabled
with the service's reason, and a step that is not this person's role at all
(``services.NotYourRole``) is left out.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import notifications, services
from reports.admin import forms_workflow
from reports.admin.attachments import staff_attachment_url
from reports.admin.versions import versions_of, with_version_numbers
from reports.admin.visibility import visible_report_or_404
from reports.models import ReportState, WorkflowAction, WorkflowEvent


@dataclass(frozen=True)
class Step:
    label: str
    form_class: type[forms.Form]
    done_message: str
    explanation: str
    notifies: bool = True


STEPS = {
    "submit": Step(
        gettext_lazy("提交审核"),
        forms_workflow.SubmitForm,
        gettext_lazy("已提交审核。"),
        gettext_lazy("提交后报告进入待审核状态，审核人可以退回或审核通过。"),
    ),
    "return": Step(
        gettext_lazy("退回"),
        forms_workflow.ReturnForm,
        gettext_lazy("已退回起草人修改。"),
        gettext_lazy("退回后报告回到草稿状态，起草人会在站内通知（有邮箱的还会收到邮件）中看到您的退回意见。"),
    ),
    "approve": Step(
        gettext_lazy("审核通过"),
        forms_workflow.ApproveForm,
        gettext_lazy("已审核通过，可以发布或定时发布。"),
        gettext_lazy("审核通过记录您已完成保密审查；提交人本人不能审核通过（双人审核原则）。"),
    ),
    "publish": Step(
        gettext_lazy("立即发布"),
        forms_workflow.PublishForm,
        gettext_lazy("已发布，公众现在可以看到这份报告。"),
        gettext_lazy("发布后公众立即可以看到审核通过的版本，发布时间由系统记录。"),
    ),
    "schedule": Step(
        gettext_lazy("定时发布"),
        forms_workflow.ScheduleForm,
        gettext_lazy("已安排定时发布，到时报告自动公开。"),
        gettext_lazy("到了设定的时间，公众自动看到审核通过的版本，发布时间即为设定的时间。"),
    ),
    "withdraw": Step(
        gettext_lazy("撤回"),
        forms_workflow.WithdrawForm,
        gettext_lazy("已撤回，公众打开原网址将看到“已撤回”。"),
        gettext_lazy("撤回后报告从列表、搜索、订阅和网站地图中消失，原网址显示已撤回及撤回时间。"),
        notifies=False,
    ),
    "report_upward": Step(
        gettext_lazy("报送上级"),
        forms_workflow.ReportUpwardForm,
        gettext_lazy("已记录报送上级的日期和文号。"),
        gettext_lazy("记录审核通过的报告已报送上级机关：报送日期和文号记入流程记录，报告状态不变。"),
    ),
}


@dataclass(frozen=True)
class StepChoice:
    """A step as the change page shows it: a button, or a disabled step with the service's reason."""

    name: str
    label: str
    url: str
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return not self.reason


def step_choices(user, report, *, url) -> list[StepChoice]:
    """Every step of ``STEPS`` this person's role takes, each allowed or with the reason it is refused now."""
    choices = []
    for name, step in STEPS.items():
        try:
            services.check_step(name, user=user, report=report)
        except services.NotYourRole:
            continue
        except services.WorkflowError as error:
            choices.append(StepChoice(name, str(step.label), url(name), reason=error.message))
        else:
            choices.append(StepChoice(name, str(step.label), url(name)))
    return choices


def unavailable_by_reason(choices: list[StepChoice]) -> list[tuple[str, list[str]]]:
    """The refused steps grouped by reason, in step order: [(reason, [labels…]), …]."""
    groups: dict[str, list[str]] = {}
    for choice in choices:
        if not choice.allowed:
            groups.setdefault(choice.reason, []).append(choice.label)
    return list(groups.items())


def latest_return(report) -> WorkflowEvent | None:
    """The editor's return comment, while the draft waits for its drafters (until it is resubmitted)."""
    if report.state != ReportState.DRAFT or getattr(report, "last_step", None) != WorkflowAction.RETURN:
        return None
    return report.events.filter(action=WorkflowAction.RETURN).select_related("actor").order_by("-sequence").first()


def submission_warnings(report) -> list[str]:
    """What a reviewer or the annual-duty rules will miss in this report, said before it is submitted."""
    warnings = []
    missing = report.missing_section_kinds()
    if missing:
        warnings.append(
            _("缺少必备部分：%(parts)s。年度报告应包含这些部分，请补充后再提交，或在说明中写明原因。")
            % {"parts": "、".join(str(kind.label) for kind in missing)}
        )
    if report.signing_date is None:
        warnings.append(_("还没有填写成文日期（在“落款与公开信息”中）。公开的报告需要注明成文日期。"))
    return warnings


def reading_list(report) -> dict:
    """What to read before approving or publishing: the preview and every attachment, as staff links."""
    return {
        "preview_url": reverse("reports:preview", args=[report.pk]),
        "attachments": [
            (attachment.display_name, staff_attachment_url(attachment)) for attachment in report.attachments.all()
        ],
    }


def next_step(report) -> str:
    """Who the report waits for, in the words of the list's "下一步" column."""
    if report.state == ReportState.SUBMITTED:
        return _("待审核人处理")
    if report.state == ReportState.APPROVED:
        return _("待审核人发布")
    if report.state == ReportState.DRAFT:
        if getattr(report, "last_step", None) == WorkflowAction.RETURN:
            return _("待起草人修改")
        return _("待起草人提交")
    return "—"


class WorkflowAdminMixin:
    """Adds the workflow to the report admin: columns, the 待我处理 filter, state panel and step pages."""

    workflow_step_template = "admin/reports/report/workflow_step.html"

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-workflow.css"]})

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_step_view),
                name="{}_{}_workflow".format(*info),
            ),
        ]
        # Before the defaults: their "<path:object_id>/" would swallow this address.
        return urls + super().get_urls()

    def get_queryset(self, request):
        return with_version_numbers(services.with_last_step(super().get_queryset(request)))

    # --- Columns ------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("公开版本"))
    def public_version(self, report):
        return versions_of(report).public_text

    @admin.display(description=gettext_lazy("工作稿"), ordering="state")
    def state_badge(self, report):
        at = report.scheduled_at  # annotated by get_queryset (ReportQuerySet.with_publication)
        if at is not None:
            text = _("定时发布 %(time)s") % {"time": date_format(timezone.localtime(at), "Y-m-d H:i")}
            return format_html('<span class="state-badge state-badge--scheduled">{}</span>', text)
        return format_html(
            '<span class="state-badge state-badge--{}">{}</span>', report.state, report.get_state_display()
        )

    @admin.display(description=gettext_lazy("下一步"))
    def next_step(self, report):
        return next_step(report)

    # --- The change page ---------------------------------------------------------------

    def _workflow_url(self, report, step: str) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_workflow",
            args=[report.pk, step],
            current_app=self.admin_site.name,
        )

    def _change_url(self, report) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[report.pk],
            current_app=self.admin_site.name,
        )

    def _step_choices(self, request, report) -> list[StepChoice]:
        # Read-only staff (auditors) get no buttons, as the step pages refuse them outright.
        if not self.has_change_permission(request):
            return []
        return step_choices(request.user, report, url=lambda step: self._workflow_url(report, step))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            choices = self._step_choices(request, obj)
            context.update(
                workflow_badge=self.state_badge(obj),
                workflow_next_step=next_step(obj),
                workflow_versions=versions_of(obj),
                workflow_steps=[choice for choice in choices if choice.allowed],
                workflow_unavailable=unavailable_by_reason(choices),
                workflow_return=latest_return(obj),
                workflow_events=obj.events.select_related("actor").order_by("-sequence"),
                preview_url=reverse("reports:preview", args=[obj.pk]),
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # --- The step pages ----------------------------------------------------------------

    def workflow_step_view(self, request, object_id, step: str):
        report = visible_report_or_404(self, request, object_id)
        if step not in STEPS:
            raise Http404(_("没有这个操作。"))
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        # Auditors and other read-only staff are refused outright, whatever they send.
        if not self.has_change_permission(request):
            raise PermissionDenied
        try:
            services.check_step(step, user=request.user, report=report)
        except services.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(report))

        definition = STEPS[step]
        form = definition.form_class(request.POST) if request.method == "POST" else definition.form_class()
        if request.method == "POST" and form.is_valid():
            try:
                form.apply(report=report, user=request.user)
            except services.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, self._done_message(definition, report), messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(report))

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": report,
            "title": definition.label,
            "subtitle": str(report),
            "step": definition,
            "form": form,
            "media": self.media + form.media,
            "workflow_badge": self.state_badge(report),
            "workflow_versions": versions_of(report),
            "submitted_by": report.submitted_by if step == "approve" else None,
            "warnings": submission_warnings(report) if step == "submit" else [],
            "reading": reading_list(report) if step in ("approve", "publish", "schedule") else None,
            "change_url": self._change_url(report),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.workflow_step_template, context)

    @staticmethod
    def _done_message(definition: Step, report) -> str:
        if not definition.notifies:
            return str(definition.done_message)
        event = report.events.order_by("-sequence").first()
        return f"{definition.done_message}{notifications.delivery_summary(event)}"
