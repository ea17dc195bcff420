"""The pre-publication checks on the report page: findings beside the report, 忽略 and 放行.

The panel lists the findings of the latest revision (the text as last saved) with the
sentence around each, the wrong text highlighted and the suggestion. A warn-level
finding may be ignored with a reason by the report's drafters and editors; block-level
findings stop submission and approval (see ``services._require_checks_passed``) until
the text is fixed or an editor other than the submitter overrides them with a reason
(``services.override_check``). Nothing here changes the report's text.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import services
from reports.admin.visibility import visible_report_or_404
from reports.checking import review
from reports.models import ReportState
from reports.roles import can_draft_for

REASON_ROWS = {"rows": 4, "cols": 60}


class IgnoreForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("忽略理由"),
        widget=forms.Textarea(attrs=REASON_ROWS),
        help_text=gettext_lazy("必填。写明为什么这里的写法是对的，审核人会看到。"),
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("放行理由"),
        widget=forms.Textarea(attrs=REASON_ROWS),
        help_text=gettext_lazy("必填。写明为什么这些问题可以不改就发布；理由和放行的问题记入流程记录，不可修改。"),
    )


class CheckingAdminMixin:
    """Adds the 发布前检查 panel, its 忽略 and 放行 pages, and a hint after each save."""

    checks_action_template = "admin/reports/report/checks_action.html"

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-checks.css"]})

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "<path:object_id>/checks/ignore/<slug:fingerprint>/",
                self.admin_site.admin_view(self.ignore_finding_view),
                name="{}_{}_checks_ignore".format(*info),
            ),
            path(
                "<path:object_id>/checks/override/",
                self.admin_site.admin_view(self.override_checks_view),
                name="{}_{}_checks_override".format(*info),
            ),
        ]
        # Before the defaults: their "<path:object_id>/" would swallow these addresses.
        return urls + super().get_urls()

    def _checks_url(self, name: str, *args) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_checks_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    def _report_url(self, report) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[report.pk],
            current_app=self.admin_site.name,
        )

    # --- The panel -------------------------------------------------------------------------

    def _may_act_on_checks(self, request, report) -> bool:
        # Read-only staff (auditors) see the findings and nothing to press.
        return self.has_change_permission(request) and can_draft_for(request.user, report.organization)

    def checks_context(self, request, report) -> dict:
        result = review.review(report)
        if result is None:
            return {}
        may_act = self._may_act_on_checks(request, report)
        rows = []
        for finding in result.findings:
            override = result.override_of(finding) if finding.blocks else None
            ignore_url = None
            if may_act and not finding.blocks and finding.fingerprint not in result.ignored:
                ignore_url = self._checks_url("ignore", report.pk, finding.fingerprint)
            rows.append({"finding": finding, "override": override, "ignore_url": ignore_url})
        # Who will submit is known only once the report is under review; until then, any override counts.
        submitter = report.submitted_by if report.state == ReportState.SUBMITTED else None
        open_blocking = result.open_blocking(submitter)
        may_override = (
            may_act
            and bool(result.not_yet_overridden_by(request.user))
            and services.can_take("override_check", user=request.user, report=report)
        )
        return {
            "checks": result,
            "check_rows": [row for row in rows if row["finding"].fingerprint not in result.ignored],
            "checks_open_blocking": open_blocking,
            "checks_override_url": self._checks_url("override", report.pk) if may_override else None,
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.checks_context(request, obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # --- Hints on save ------------------------------------------------------------------

    def _hint(self, request, report) -> None:
        result = review.review(report)
        if result is None:
            return
        blocking, warnings = len(result.blocking), len(result.warnings)
        if not blocking and not warnings:
            return
        self.message_user(
            request,
            _("发布前检查发现 %(blocking)s 处必须修改的问题、%(warnings)s 处提醒，详见报告页面上的“发布前检查”。")
            % {"blocking": blocking, "warnings": warnings},
            messages.WARNING,
        )

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._hint(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._hint(request, obj)
        return response

    # --- 忽略 and 放行 -------------------------------------------------------------------

    def _action_page(self, request, report, *, title: str, explanation: str, form, findings, submit: str):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": report,
            "title": title,
            "subtitle": str(report),
            "explanation": explanation,
            "form": form,
            "findings": findings,
            "submit_label": submit,
            "media": self.media + form.media,
            "change_url": self._report_url(report),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.checks_action_template, context)

    def _report_for_action(self, request, object_id):
        report = visible_report_or_404(self, request, object_id)
        if request.method not in ("GET", "POST"):
            return report, HttpResponseNotAllowed(["GET", "POST"])
        if not self._may_act_on_checks(request, report):
            raise PermissionDenied
        return report, None

    def ignore_finding_view(self, request, object_id, fingerprint: str):
        report, refused = self._report_for_action(request, object_id)
        if refused:
            return refused
        result = review.review(report)
        finding = next((f for f in result.findings if f.fingerprint == fingerprint), None) if result else None
        if finding is None or finding.blocks:
            raise Http404(_("没有这条可以忽略的检查结果（报告可能已经修改）。"))
        form = IgnoreForm(request.POST) if request.method == "POST" else IgnoreForm()
        if request.method == "POST" and form.is_valid():
            try:
                review.ignore_finding(
                    report=report, user=request.user, fingerprint=fingerprint, reason=form.cleaned_data["reason"]
                )
            except review.CheckError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, _("已忽略这条提醒。"), messages.SUCCESS)
                return HttpResponseRedirect(self._report_url(report))
        return self._action_page(
            request,
            report,
            title=_("忽略检查结果"),
            explanation=_("忽略后这条提醒不再列出；只要所在句子不变，以后的版本也不再提醒。"),
            form=form,
            findings=[finding],
            submit=_("确认忽略"),
        )

    def override_checks_view(self, request, object_id):
        report, refused = self._report_for_action(request, object_id)
        if refused:
            return refused
        if not services.can_take("override_check", user=request.user, report=report):
            raise PermissionDenied
        findings = review.not_yet_overridden_by(report, request.user)
        if not findings:
            self.message_user(request, _("这份报告没有需要放行的检查结果。"), messages.INFO)
            return HttpResponseRedirect(self._report_url(report))
        form = OverrideForm(request.POST) if request.method == "POST" else OverrideForm()
        if request.method == "POST" and form.is_valid():
            try:
                services.override_check(report=report, user=request.user, reason=form.cleaned_data["reason"])
            except services.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, _("已放行，放行理由已记入流程记录。"), messages.SUCCESS)
                return HttpResponseRedirect(self._report_url(report))
        return self._action_page(
            request,
            report,
            title=_("放行检查结果"),
            explanation=_(
                "放行后，当前版本可以带着下列问题提交审核和审核通过，但提交人本人的放行不算数（双人审核原则）；"
                "报告再修改后须重新检查。"
            ),
            form=form,
            findings=findings,
            submit=_("确认放行"),
        )
