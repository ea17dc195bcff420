"""The report change page: the working copy with its sections, items and attachments."""

from django.contrib import admin

from reports.admin.history import HistoryAdminMixin
from reports.models import Report


@admin.register(Report)
class ReportAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "organization", "year", "state", "updated_at"]
    list_filter = ["state", "year", "organization"]
    search_fields = ["title", "index_number"]
