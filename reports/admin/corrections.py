"""我要纠错 in the back office: each resident's error report goes to the editors of its unit.

Editors see the reports of the units they review and record a status and a reply;
auditors and superusers read them all; nobody adds or deletes one here. The resident's
text is shown as text (escaped, line breaks kept): it is whatever anyone typed.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import services
from reports.models import Correction, CorrectionStatus
from reports.roles import correction_organizations

EDITABLE = ("status", "reply")


class OpenFilter(admin.SimpleListFilter):
    """待处理: new and in-progress reports, what an editor works through."""

    title = gettext_lazy("待办")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("待处理"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status__in=[CorrectionStatus.NEW, CorrectionStatus.IN_PROGRESS])
        return queryset


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "report_title", "organization", "summary", "status", "replied_at"]
    list_filter = [OpenFilter, "status", "created_at"]
    list_select_related = ["report__organization", "revision"]
    search_fields = ["text"]
    date_hierarchy = "created_at"
    fields = [
        "report_title",
        "organization",
        "revision_number",
        "page_url",
        "created_at",
        "text",
        "contact",
        "contact_erased_at",
        "status",
        "reply",
        "replied_by",
        "replied_at",
    ]

    def get_queryset(self, request):
        organizations = correction_organizations(request.user)
        return super().get_queryset(request).filter(report__organization__in=organizations)

    # --- who may do what -----------------------------------------------------------------------
    def has_module_permission(self, request):
        return correction_organizations(request.user).exists()

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return correction_organizations(request.user).exists()
        return correction_organizations(request.user).filter(pk=obj.report.organization_id).exists()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            # The list and the change page open for anyone who may view; the form decides per object.
            return self.has_view_permission(request)
        return services.can_answer_correction(request.user, obj)

    def has_add_permission(self, request):
        return False  # only residents send them, through the public form

    def has_delete_permission(self, request, obj=None):
        return False  # kept as the record of what was reported and answered

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and services.can_answer_correction(request.user, obj):
            return [name for name in self.fields if name not in EDITABLE]
        return self.fields

    def save_model(self, request, obj, form, change):
        services.answer_correction(
            correction=obj, user=request.user, status=form.cleaned_data["status"], reply=form.cleaned_data["reply"]
        )
        messages.info(request, _("处理结果已保存；答复不会在网站上公开。"))

    # --- columns ---------------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("报告"))
    def report_title(self, correction):
        url = reverse("admin:reports_report_change", args=[correction.report_id])
        return format_html('<a href="{}">{}</a>', url, correction.revision.title)

    @admin.display(description=gettext_lazy("发布机构"))
    def organization(self, correction):
        return correction.report.organization.name

    @admin.display(description=gettext_lazy("所纠版本"))
    def revision_number(self, correction):
        # The revision exactly as the resident read it, in the report's history.
        url = reverse("admin:reports_report_history_revision", args=[correction.report_id, correction.revision.number])
        return format_html('<a href="{}">{}</a>', url, _("第 %(number)s 版") % {"number": correction.revision.number})

    @admin.display(description=gettext_lazy("错误内容"))
    def summary(self, correction):
        return Truncator(correction.text).chars(40)
