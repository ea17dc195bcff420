"""Issuing units; only superusers change them, since membership decides who may see and approve what."""

from django.contrib import admin

from reports.admin.duty import DutyAdminMixin
from reports.models import Organization


@admin.register(Organization)
class OrganizationAdmin(DutyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "code", "order", "reports_annually"]
    list_filter = ["kind", "reports_annually"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["clerks", "editors", "inspectors"]

    # Who belongs to which unit decides who sees and approves what: superusers only.
    # Editors and auditors keep their view permission and may look.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
