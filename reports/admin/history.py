"""The auditors' screens: a report's revisions and workflow events, read-only, plus restore for editors.

Everyone who may see a report in the admin (its organization's clerks and editors,
auditors, editors of all organizations) may read its history; others get 404. Only an
editor of the report's organization may restore a revision, through the service.
"""

import json
from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import services
from reports.admin.attachments import current_file_urls
from reports.history.compare import compare
from reports.history.publication import public_revision_at, publication_periods
from reports.history.timeline import export_history, timeline
from reports.models import Report, Revision, WorkflowEvent
from reports.people import person_name
from reports.public.article import render_article_body

SHORT_HASH = 12


def _article_body(revision: Revision) -> str:
    """A revision rendered as the public article renders it, its rich text sanitized once more.

    The public partials trust stored HTML; history screens must not, in case a row was
    written past the application. Attachments link the staff download while the report
    still holds the file that revision had.
    """
    return render_article_body(revision.content, attachment_url=current_file_urls(revision.report))


class CompareForm(forms.Form):
    """Two revision numbers to compare; the older one on the left."""

    old = forms.TypedChoiceField(label=gettext_lazy("左侧（旧）"), coerce=int)
    new = forms.TypedChoiceField(label=gettext_lazy("右侧（新）"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(number, _("第 %(number)s 版") % {"number": number}) for number in numbers]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") is not None and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError(_("请选择两个不同的版本。"))
        return cleaned


class PublicAtForm(forms.Form):
    """A moment in the portal's time zone."""

    date = forms.DateField(label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=gettext_lazy("时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 1}),
        help_text=gettext_lazy("留空则为当天 23:59:59。"),
    )

    def moment(self) -> datetime:
        time = self.cleaned_data["time"] or datetime.max.time().replace(microsecond=0)
        return timezone.make_aware(datetime.combine(self.cleaned_data["date"], time))


class HistoryAdminMixin:
    """Replaces the admin's change log ("历史") with the report's own tamper-evident history."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        urls = [
            path(
                "<path:object_id>/history/revision/<int:number>/",
                wrap(self.history_revision_view),
                name="{}_{}_history_revision".format(*info),
            ),
            path(
                "<path:object_id>/history/revision/<int:number>/restore/",
                wrap(self.history_restore_view),
                name="{}_{}_history_restore".format(*info),
            ),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.history_compare_view),
                name="{}_{}_history_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/public-at/",
                wrap(self.history_public_at_view),
                name="{}_{}_history_public_at".format(*info),
            ),
            path(
                "<path:object_id>/history/export.json",
                wrap(self.history_export_view),
                name="{}_{}_history_export".format(*info),
            ),
        ]
        # Before the defaults: their "<path:object_id>/" would swallow these addresses.
        return urls + super().get_urls()

    # --- Helpers -------------------------------------------------------------------------

    def _history_report(self, request, object_id) -> Report:
        try:
            pk = int(unquote(object_id))
        except ValueError:
            raise Http404 from None
        return get_object_or_404(Report.objects.visible_to(request.user).select_related("organization"), pk=pk)

    def _history_url(self, name: str, report: Report, *args) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=[report.pk, *args],
            current_app=self.admin_site.name,
        )

    def _history_context(self, request, report: Report, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": report,
            "report": report,
            "title": title,
            "subtitle": str(report),
            "can_restore": services.can_take("restore", user=request.user, report=report),
            "history_url": self._history_url("history", report),
            "compare_url": self._history_url("history_compare", report),
            "public_at_url": self._history_url("history_public_at", report),
            "export_url": self._history_url("history_export", report),
            "short_hash": SHORT_HASH,
        }

    def _render(self, request, template: str, context: dict) -> TemplateResponse:
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"admin/reports/report/{template}", context)

    # --- Views ---------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        report = self._history_report(request, object_id)
        context = self._history_context(request, report, _("历史记录"))
        context.update(
            entries=timeline(report),
            periods=publication_periods(report),
            **(extra_context or {}),
        )
        return self._render(request, "history.html", context)

    def history_revision_view(self, request, object_id, number: int):
        report = self._history_report(request, object_id)
        revision = get_object_or_404(report.revisions.select_related("author"), number=number)
        context = self._history_context(request, report, _("第 %(number)s 版") % {"number": number})
        context.update(
            revision=revision,
            body_html=_article_body(revision),
            periods=[p for p in publication_periods(report) if p.revision_id == revision.pk],
            is_latest=not report.revisions.filter(number__gt=number).exists(),
        )
        return self._render(request, "history_revision.html", context)

    def history_compare_view(self, request, object_id):
        report = self._history_report(request, object_id)
        numbers = list(report.revisions.order_by("number").values_list("number", flat=True))
        context = self._history_context(request, report, _("版本比较"))
        if len(numbers) < 2:
            context["form"] = None
            return self._render(request, "history_compare.html", context)
        if "old" in request.GET or "new" in request.GET:
            form = CompareForm(request.GET, numbers=numbers)
        else:
            form = CompareForm({"old": numbers[-2], "new": numbers[-1]}, numbers=numbers)
        context["form"] = form
        if form.is_valid():
            old_number, new_number = form.cleaned_data["old"], form.cleaned_data["new"]
            revisions = {
                revision.number: revision
                for revision in report.revisions.select_related("author").filter(number__in=[old_number, new_number])
            }
            context.update(
                old=revisions[old_number],
                new=revisions[new_number],
                comparison=compare(revisions[old_number].content, revisions[new_number].content),
            )
        return self._render(request, "history_compare.html", context)

    def history_public_at_view(self, request, object_id):
        report = self._history_report(request, object_id)
        context = self._history_context(request, report, _("某时刻公开版本"))
        form = PublicAtForm(request.GET or None)
        context["form"] = form
        if form.is_valid():
            moment = form.moment()
            revision = public_revision_at(report, moment)
            context.update(moment=moment, asked=True, revision=revision)
            if revision is not None:
                context["body_html"] = _article_body(revision)
                context["periods"] = [
                    p for p in publication_periods(report) if p.start <= moment and (p.end is None or moment < p.end)
                ]
        return self._render(request, "history_public_at.html", context)

    def history_export_view(self, request, object_id):
        report = self._history_report(request, object_id)
        body = json.dumps(export_history(report), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="report-{report.pk}-history.json"'
        return response

    def history_restore_view(self, request, object_id, number: int):
        report = self._history_report(request, object_id)
        if not services.can_take("restore", user=request.user, report=report):
            raise PermissionDenied
        revision = get_object_or_404(report.revisions, number=number)
        if request.method == "POST":
            try:
                restored = services.restore_revision(revision=revision, user=request.user)
            except services.WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("已恢复第 %(source)s 版的内容，保存为第 %(number)s 版（草稿），需重新提交审核。")
                    % {"source": revision.number, "number": restored.number},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(self._history_url("history", report))
        context = self._history_context(request, report, _("恢复第 %(number)s 版") % {"number": number})
        context["revision"] = revision
        return self._render(request, "history_restore.html", context)


class HistoryRecordAdmin(admin.ModelAdmin):
    """History rows can be listed and read, never added, changed or deleted."""

    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).filter(report__in=Report.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("哈希值"))
    def short_hash(self, obj):
        return obj.hash[:SHORT_HASH]

    @admin.display(description=gettext_lazy("历史记录"))
    def history_link(self, obj):
        url = reverse("admin:reports_report_history", args=[obj.report_id])
        return format_html('<a href="{}">{}</a>', url, _("查看该报告的历史记录"))


def _yes_no(value: bool) -> str:
    # Django shows booleans as an icon whose text is the English "True"/"False".
    return _("是") if value else _("否")


@admin.register(Revision)
class RevisionAdmin(HistoryRecordAdmin):
    list_display = ["__str__", "report", "author_name", "created_at", "state", "comment", "short_hash"]
    list_filter = ["state"]
    list_select_related = ["report", "author"]
    search_fields = ["report__title", "report__index_number", "comment"]
    date_hierarchy = "created_at"
    # People by the name colleagues know them by, and not linked: user pages are for superusers.
    fields = [
        "report",
        "number",
        "author_name",
        "created_at",
        "state",
        "comment",
        "title",
        "hash",
        "previous_hash",
        "history_link",
    ]
    readonly_fields = ["author_name", "history_link"]

    @admin.display(description=gettext_lazy("修改人"), ordering="author")
    def author_name(self, revision):
        return person_name(revision.author)

    def get_queryset(self, request):
        # The content is read on the history screens, not in this list.
        return super().get_queryset(request).defer("content", "search_text")


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(HistoryRecordAdmin):
    list_display = ["__str__", "sequence", "actor_name", "created_at", "to_state", "effective_at", "short_hash"]
    list_filter = ["action", "to_state"]
    list_select_related = ["report", "actor"]
    search_fields = ["report__title", "report__index_number", "comment"]
    date_hierarchy = "created_at"
    fields = [
        "report",
        "sequence",
        "actor_name",
        "action",
        "from_state",
        "to_state",
        "comment",
        "created_at",
        "revision",
        "effective_at",
        "secrecy_checked_text",
        "comment_is_public_text",
        "hash",
        "previous_hash",
        "history_link",
    ]
    readonly_fields = ["actor_name", "secrecy_checked_text", "comment_is_public_text", "history_link"]

    @admin.display(description=gettext_lazy("操作人"), ordering="actor")
    def actor_name(self, event):
        return person_name(event.actor)

    @admin.display(description=gettext_lazy("已完成保密审查"))
    def secrecy_checked_text(self, event):
        return _yes_no(event.secrecy_checked)

    @admin.display(description=gettext_lazy("向公众显示说明"))
    def comment_is_public_text(self, event):
        return _yes_no(event.comment_is_public)
