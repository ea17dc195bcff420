"""Search in the back office: the synonyms editors keep, and what residents searched for, by day.

Editors (``reports.review_report``) change synonyms; auditors and editors read both. The log
holds phrases and counts only: nobody's address or account.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reports.models import SearchLogEntry, SynonymGroup
from reports.roles import may_edit_synonyms, may_read_search


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]
    fields = ["terms", "note"]

    def has_module_permission(self, request):
        return may_read_search(request.user)

    def has_view_permission(self, request, obj=None):
        return may_read_search(request.user)

    def has_add_permission(self, request):
        return may_edit_synonyms(request.user)

    def has_change_permission(self, request, obj=None):
        return may_edit_synonyms(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_edit_synonyms(request.user)


class FoundNothingFilter(admin.SimpleListFilter):
    title = _("结果")
    parameter_name = "found"

    def lookups(self, request, model_admin):
        return [("none", _("没有找到结果")), ("some", _("找到结果"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(results=0)
        if self.value() == "some":
            return queryset.filter(results__gt=0)
        return queryset


@admin.register(SearchLogEntry)
class SearchLogEntryAdmin(admin.ModelAdmin):
    list_display = ["day", "phrase", "searches", "results"]
    list_filter = [FoundNothingFilter, "day"]
    search_fields = ["phrase"]
    date_hierarchy = "day"
    list_per_page = 100

    def has_module_permission(self, request):
        return may_read_search(request.user)

    def has_view_permission(self, request, obj=None):
        return may_read_search(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
