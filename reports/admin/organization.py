"""Issuing units; only superusers change them, since membership decides who may see and approve what."""

from django.contrib import admin

from reports.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "code", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {}
    # Plain selects: units are few, and the autocomplete and two-box widgets' markup fails screen readers.

    # Who belongs to which unit decides who sees and approves what: superusers only.
    # Editors and auditors keep their view permission and may look.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
