"""The admin of records: rows that are read, never added, changed or deleted through the admin."""

from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):
    """Hides the add, change and delete screens and refuses their requests on the server alike."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
