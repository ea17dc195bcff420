from django.contrib import admin

from reports.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "code", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["clerks", "editors"]
