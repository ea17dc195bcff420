from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import AuthEvent
from reports.people import person_name


@admin.register(AuthEvent)
class AuthEventAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the audit log is evidence."""

    list_display = ["created_at", "kind", "username", "actor_name", "ip_address", "detail"]
    # People by name and not linked: user pages are for superusers, and auditors read this log.
    fields = ["created_at", "kind", "username", "user_name", "actor_name", "ip_address", "user_agent", "detail"]
    readonly_fields = ["user_name", "actor_name"]
    list_filter = ["kind", "created_at"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def get_queryset(self, request):
        # A deleted account leaves its events (no database constraint): the join then gives None.
        return super().get_queryset(request).select_related("user", "actor")

    @admin.display(description=_("用户"), ordering="user")
    def user_name(self, event):
        return person_name(event.user) if event.user is not None else "—"

    @admin.display(description=_("操作人"), ordering="actor")
    def actor_name(self, event):
        return person_name(event.actor) if event.actor is not None else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
