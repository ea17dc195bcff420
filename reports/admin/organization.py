"""Issuing units; only superusers change them, since membership decides who may see and approve what."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.admin.duty import DutyAdminMixin
from reports.models import Organization


@admin.register(Organization)
class OrganizationAdmin(DutyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "code", "order", "reporting_duty"]
    readonly_fields = ["reporting_duty"]
    list_filter = ["kind", "reports_annually"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {}
    # Plain selects: units are few, and the autocomplete and two-box widgets' markup fails screen readers.

    # Django shows a yes/no field to those who may not change it as an icon whose text
    # (what screen readers say) is "True" or "False": they get the words 是/否 instead.
    @admin.display(description=gettext_lazy("须每年报告"), ordering="reports_annually")
    def reporting_duty(self, organization):
        return _("是") if organization.reports_annually else _("否")

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "reporting_duty"]
        if self.has_change_permission(request, obj):
            return fields
        return ["reporting_duty" if name == "reports_annually" else name for name in fields]

    # Who belongs to which unit decides who sees and approves what: superusers only.
    # Editors and auditors keep their view permission and may look.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
