"""上年工作安排落实情况 in the admin: last year's plans as a checklist under the report.

The plans come from the unit's previous-year PUBLIC revision; each gets a status, a short
note and the measures of this report that carry it out. Every posted value is confined to
this report: a plan must be one of those plans (its key is checked against the position it
was shown at), a measure one of this report's 主要举措和成效 — the form's choices say so,
and ``services.review_plans`` checks again under the report's lock. Saving is an edit of
the report (a new revision, through review like any change).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import services
from reports.admin.visibility import visible_report_or_404
from reports.followthrough import Plan, measures_of, plans_of, previous_public_revision
from reports.history.revisions import snapshot
from reports.models import PlanReview, PlanStatus
from reports.sanitize import html_to_text

MEASURE_LABEL_LENGTH = 40


class PlanReviewForm(forms.Form):
    """One plan of last year: what came of it."""

    plan_key = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=gettext_lazy("落实情况"), choices=[("", gettext_lazy("未填写")), *PlanStatus.choices], required=False
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=PlanReview._meta.get_field("note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    measures = forms.MultipleChoiceField(
        label=gettext_lazy("对应举措"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, plan: Plan, measure_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["measures"].choices = measure_choices

    def clean_plan_key(self) -> str:
        if self.cleaned_data["plan_key"] != self.plan.key:
            raise forms.ValidationError(_("上一年度报告的工作安排已更新，请重新打开本页后填写。"))
        return self.plan.key

    def entry(self) -> services.PlanReviewEntry:
        return services.PlanReviewEntry(
            plan_key=self.plan.key,
            status=self.cleaned_data["status"],
            note=self.cleaned_data["note"],
            measure_keys=self.cleaned_data["measures"],
        )


class PlanReviewPageForm(forms.Form):
    """The page's own fields: the version it was loaded with, and a change comment."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    change_comment = forms.CharField(
        label=gettext_lazy("修改说明"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("可不填；填写后记入历史版本。"),
    )


def _measure_label(measure) -> str:
    text = measure.heading or html_to_text(measure.body)
    text = text if len(text) <= MEASURE_LABEL_LENGTH else text[: MEASURE_LABEL_LENGTH - 1] + "…"
    return f"{measure.number}{text}"


class PlanReviewAdminMixin:
    """Adds the 上年工作安排落实情况 page (and its link on the change page) to the report admin."""

    plan_review_template = "admin/reports/report/plan_review.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        urls = [
            path(
                "<path:object_id>/plan-review/",
                wrap(self.plan_review_view),
                name="{}_{}_plan_review".format(*info),
            ),
            path(
                "<path:object_id>/plan-review/shortcomings/",
                wrap(self.plan_review_shortcomings_view),
                name="{}_{}_plan_review_shortcomings".format(*info),
            ),
        ]
        # Before the defaults: their "<path:object_id>/" would swallow these addresses.
        return urls + super().get_urls()

    def _plan_review_url(self, report) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_plan_review",
            args=[report.pk],
            current_app=self.admin_site.name,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["plan_review_url"] = self._plan_review_url(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def plan_review_view(self, request, object_id):
        report = visible_report_or_404(self, request, object_id)
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        may_edit = self.has_change_permission(request, report)
        if request.method == "POST" and not may_edit:
            raise PermissionDenied
        source = previous_public_revision(report)
        plans = plans_of(source.content) if source is not None else []
        stored = {review.plan_key: review for review in report.plan_reviews.all()}
        measure_choices = [(measure.key, _measure_label(measure)) for measure in measures_of(snapshot(report))]
        data = request.POST if request.method == "POST" else None
        page_form = PlanReviewPageForm(data, initial={"expected_version": report.version})
        plan_forms = [
            PlanReviewForm(
                data,
                prefix=f"plan-{plan.position}",
                plan=plan,
                measure_choices=measure_choices,
                initial=_initial(plan, stored.get(plan.key)),
            )
            for plan in plans
        ]
        if data is not None and plans and page_form.is_valid() and all(form.is_valid() for form in plan_forms):
            try:
                revision = services.review_plans(
                    report=report,
                    user=request.user,
                    entries=[form.entry() for form in plan_forms],
                    expected_version=page_form.cleaned_data["expected_version"],
                    comment=page_form.cleaned_data["change_comment"],
                )
            except services.WorkflowError as error:
                page_form.add_error(None, error.message)
            else:
                message = _("已保存上年工作安排落实情况。") if revision else _("落实情况没有变化，未记录新版本。")
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(self._plan_review_url(report))

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": report,
            "title": _("上年工作安排落实情况"),
            "subtitle": str(report),
            "previous_year": report.year - 1,
            "source": source,
            "page_form": page_form,
            "plan_forms": plan_forms,
            "stale": [review for key, review in stored.items() if key not in {plan.key for plan in plans}],
            "may_edit": may_edit,
            "has_measures": bool(measure_choices),
            "unfinished": [review for review in stored.values() if review.status in PlanStatus.unfinished()],
            "shortcomings_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_plan_review_shortcomings",
                args=[report.pk],
                current_app=self.admin_site.name,
            ),
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[report.pk],
                current_app=self.admin_site.name,
            ),
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.plan_review_template, context)

    def plan_review_shortcomings_view(self, request, object_id):
        """The explicit button: unfinished plans become items of 存在不足和原因, as a draft to rewrite."""
        report = visible_report_or_404(self, request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        form = PlanReviewPageForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("页面已过期，请重新打开本页。"), messages.ERROR)
            return HttpResponseRedirect(self._plan_review_url(report))
        try:
            services.copy_unfinished_plans(
                report=report, user=request.user, expected_version=form.cleaned_data["expected_version"]
            )
        except services.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(self._plan_review_url(report))
        self.message_user(
            request,
            _("已将未完成的上年工作安排填入“存在不足和原因”，请逐条改写为存在的不足和原因。"),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[report.pk],
                current_app=self.admin_site.name,
            )
        )


def _initial(plan: Plan, review: PlanReview | None) -> dict:
    if review is None:
        return {"plan_key": plan.key}
    return {"plan_key": plan.key, "status": review.status, "note": review.note, "measures": review.measure_keys}
