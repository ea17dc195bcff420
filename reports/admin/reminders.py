"""The reminders that were sent: a read-only record (see ``reports.duty.reminders``)."""

from django.contrib import admin
from django.db.models import Q

from reports.models import Reminder
from reports.roles import inspected_organizations


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "kind", "organization", "year", "milestone", "days_before", "recipient", "email"]
    list_filter = ["kind", "milestone", "year", "days_before"]
    list_select_related = ["organization", "recipient"]
    search_fields = ["subject", "email", "organization__name"]
    date_hierarchy = "sent_at"
    fields = [*list_display[1:], "sent_at", "subject", "body"]

    def get_queryset(self, request):
        """Everything for those who read all reports; else the reminders of inspected units and one's own."""
        reminders = super().get_queryset(request)
        user = request.user
        if user.is_superuser or user.has_perm("reports.view_all_reports"):
            return reminders
        return reminders.filter(Q(recipient=user) | Q(organization__in=inspected_organizations(user)))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
